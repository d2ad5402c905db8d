#!/usr/bin/env bash
# Offline govulncheck: the network here is closed except the Go module proxy,
# so vuln.go.dev is unreachable. The Go vulnerability database's source
# (golang.org/x/vulndb, OSV files under data/osv/) is a Go module, so it comes
# through the proxy; tools/vulndb turns it into the layout govulncheck reads
# with -db file://DIR. The generated database is cached per vulndb version.
#
#   scripts/vuln.sh                 check ./...; fail (non-zero exit) when the code calls a
#                                   vulnerable function not listed in tools/vulndb/accepted.txt
#   scripts/vuln.sh ARGS...         plain govulncheck with this database (e.g. -show verbose ./...)
#   VULNDB_VERSION=<pseudo-version> scripts/vuln.sh   to use a newer snapshot
#   VULN_STRICT_STDLIB=1 scripts/vuln.sh                also fail on standard-library findings, whose
#                                   fix is a newer Go toolchain (by default they are listed as TOOLCHAIN)
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
cd "$root"

version=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
cache=$tools_cache
db="$cache/vulndb-$version"

if [ ! -f "$db/index/modules.json" ]; then
  meta=$($GO mod download -json "golang.org/x/vulndb@$version")
  dir=$(printf '%s\n' "$meta" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  info=$(printf '%s\n' "$meta" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",\{0,1\}$/\1/p')
  if [ -z "$dir" ] || [ ! -d "$dir/data/osv" ]; then
    echo "vuln.sh: golang.org/x/vulndb@$version has no data/osv directory" >&2
    exit 1
  fi
  modified=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/vulndb-tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  $GO -C tools run ./vulndb -src "$dir/data/osv" -out "$tmp/db" -modified "$modified"
  rm -rf "$db"
  mv "$tmp/db" "$db"
fi

if [ $# -gt 0 ]; then
  exec $GO tool -modfile=tools/go.mod govulncheck -db "file://$db" "$@"
fi
echo "govulncheck: $($GO version | cut -d' ' -f3), database golang.org/x/vulndb@$version"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
$GO tool -modfile=tools/go.mod govulncheck -db "file://$db" -format json ./... >"$out"
strict=()
if [ "${VULN_STRICT_STDLIB:-0}" = 1 ]; then strict=(-strict-stdlib); fi
$GO -C tools run ./vulndb check -accept "$root/tools/vulndb/accepted.txt" "${strict[@]}" <"$out"
