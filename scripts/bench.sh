#!/usr/bin/env bash
# Gateway load benchmark (issue 7): starts the fixed-latency fake upstream and
# the real bin/chorus, pins them with taskset when available (gateway on CPU 0,
# load generator + fake upstream on CPU 1) and prints one line per scenario
# with PASS/MISS against the targets. About two and a half minutes with the
# defaults.
#
#   scripts/bench.sh                         all scenarios
#   scripts/bench.sh -scenarios open,closed  a subset (open,closed,stream,workflow,depth,ttft,cache)
#   scripts/bench.sh -scenarios cache        answer-cache hits only (issue 14)
#   scripts/bench.sh -open 30s -closed 20s   longer runs
#   scripts/bench.sh -profile out/pprof      CPU + alloc profiles under passthrough load
#   scripts/bench.sh -h                      every flag
#
# Exit status: 0 all targets met, 1 a target missed, 2 setup failure.
# BENCH_NO_BUILD=1 skips rebuilding bin/chorus (make bench builds it first).
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
cd "$root"

if [ "${BENCH_NO_BUILD:-}" != 1 ] || [ ! -x bin/chorus ]; then
  build_chorus bin/chorus
fi
"$GO" build -o bin/chorusbench ./test/bench/cmd/chorusbench
exec bin/chorusbench -gateway bin/chorus "$@"
