#!/usr/bin/env bash
# make fuzz: runs every fuzz target of the service module briefly beyond its
# committed seed corpus.
#
# Two choices keep it fast and deterministic on a busy machine:
#   - one instrumented test binary per package, not one `go test -fuzz` per
#     target: linking is most of the cost when the CPUs are shared;
#   - a budget of executions (FUZZTIME=Nx), not of wall-clock time: with a
#     duration, Go's fuzz coordinator can report its own stop deadline as a
#     failure ("context deadline exceeded", golang/go#75804, not fixed in Go
#     1.26) when the workers are starved of CPU. A duration still works
#     (FUZZTIME=30s) for a longer local run.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
FUZZTIME=${FUZZTIME:-2000x}
cachedir="$($GO env GOCACHE)/fuzz" # where `go test -fuzz` keeps what it learned
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for dir in $(git grep -l '^func Fuzz' -- '*_test.go' | xargs -n1 dirname | sort -u); do
  pkg=$($GO list "./$dir")
  bin="$work/${dir//\//_}.test"
  $GO test -c -fuzz=. -o "$bin" "./$dir"
  for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$dir"/*_test.go); do
    echo "fuzz ./$dir $target"
    # The binary runs in its package's directory, as go test runs it, so the
    # seed corpus under testdata/fuzz is found and new crashers land there.
    (cd "$dir" && "$bin" -test.run='^$' -test.fuzz="^$target\$" -test.fuzztime="$FUZZTIME" \
      -test.fuzzcachedir="$cachedir/$pkg" -test.timeout=10m)
  done
done
