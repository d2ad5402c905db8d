#!/usr/bin/env bash
# test_migration.sh — manual regression of the legacy-config migration, run
# with the real binary on a copy of configs/test-old-config.toml:
#   1. `chorus validate` accepts the legacy file and writes nothing;
#   2. `chorus migrate --dry-run` prints the new TOML and writes nothing;
#   3. `chorus migrate` rewrites the file and keeps the original as .bak;
#   4. the rewritten file passes `chorus validate` and has no legacy keys;
#   5. a second `chorus migrate` changes nothing (idempotent).
#
# Usage:  scripts/test_migration.sh
#         (an optional first argument, the base URL of the other scripts, is
#         ignored: this script needs no running server)
# Env:    CHORUS_BIN  the binary to test (default bin/chorus; built with
#                     `go build -o` when missing)
#
# Exits 1 when any check failed. Needs bash and the Go toolchain only when
# the binary must be built.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${CHORUS_BIN:-$ROOT/bin/chorus}"
if [[ ! -x "$BIN" ]]; then
  echo "building $BIN"
  (cd "$ROOT" && go build -o "$BIN" ./cmd/chorus)
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
CFG="$TMP/config.toml"
OUT="$TMP/out"
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS  $1"; }
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL  $1"
  echo "      output: $(head -c 600 "$OUT" 2>/dev/null | tr '\n' '|')"
}
# run CMD...: runs the binary with stdout+stderr in $OUT; sets RC.
run() {
  RC=0
  "$BIN" "$@" >"$OUT" 2>&1 || RC=$?
}
# only_files NAME...: the temp dir holds exactly these files.
only_files() {
  [[ "$(cd "$TMP" && ls -A | grep -v '^out$' | sort | tr '\n' ' ')" == "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]]
}

echo "Chorus migration regression with $BIN"
cp "$ROOT/configs/test-old-config.toml" "$CFG"
cp "$CFG" "$TMP/original"
# The example references its keys as ${NAME}; validation needs them set.
# Give every unset one a placeholder (never a real key) for this run only.
for name in $(grep -o '\${[A-Za-z_][A-Za-z0-9_]*}' "$CFG" | tr -d '${}' | sort -u); do
  if [[ -z "${!name:-}" ]]; then
    export "$name=placeholder-not-a-real-key"
  fi
done

# 1. validate never writes, and accepts the legacy file.
run validate --config "$CFG"
if [[ $RC -eq 0 ]]; then pass "validate accepts the legacy file"; else fail "validate accepts the legacy file (exit $RC)"; fi
if cmp -s "$CFG" "$TMP/original" && only_files config.toml original; then
  pass "validate writes nothing"
else
  fail "validate writes nothing"
fi

# 2. migrate --dry-run prints the result and writes nothing.
run migrate --dry-run --config "$CFG"
if [[ $RC -eq 0 ]]; then pass "migrate --dry-run exits 0"; else fail "migrate --dry-run exits 0 (exit $RC)"; fi
if grep -q 'json' "$OUT" && grep -q '\[workflow-integration\]' "$OUT" && ! grep -q 'analyzer_model' "$OUT"; then
  pass "migrate --dry-run prints the new TOML with the workflow JSON"
else
  fail "migrate --dry-run prints the new TOML with the workflow JSON"
fi
if cmp -s "$CFG" "$TMP/original" && only_files config.toml original; then
  pass "migrate --dry-run writes nothing"
else
  fail "migrate --dry-run writes nothing"
fi

# 3. migrate rewrites the file and keeps a byte-identical backup.
run migrate --config "$CFG"
if [[ $RC -eq 0 ]]; then pass "migrate exits 0"; else fail "migrate exits 0 (exit $RC)"; fi
if [[ -f "$CFG.bak" ]] && cmp -s "$CFG.bak" "$TMP/original"; then
  pass "the original is kept as config.toml.bak"
else
  fail "the original is kept as config.toml.bak"
fi
if grep -q '^json' "$CFG" && ! grep -Eq '^(analyzer_model|worker_models|synthesizer_model)' "$CFG"; then
  pass "the rewritten file has the workflow JSON and no legacy keys"
else
  fail "the rewritten file has the workflow JSON and no legacy keys"
fi
if grep -q 'nested_worker_depth' "$TMP/original"; then
  if grep -q 'nested_worker_depth' "$CFG"; then pass "nested_worker_depth is kept"; else fail "nested_worker_depth is kept"; fi
fi

# 4. the rewritten file validates.
run validate --config "$CFG"
if [[ $RC -eq 0 ]]; then pass "the rewritten file validates"; else fail "the rewritten file validates (exit $RC)"; fi

# 5. a second migrate is a no-op.
cp "$CFG" "$TMP/migrated"
run migrate --config "$CFG"
if [[ $RC -eq 0 ]] && cmp -s "$CFG" "$TMP/migrated" && only_files config.toml config.toml.bak original migrated; then
  pass "a second migrate changes nothing"
else
  fail "a second migrate changes nothing (exit $RC; files: $(ls -A "$TMP" | tr '\n' ' '))"
fi

echo "----"
echo "passed: $PASSED  failed: $FAILED"
[[ "$FAILED" -eq 0 ]]
