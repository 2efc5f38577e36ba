#!/usr/bin/env bash
# Preflight benchmark (issue 6): generates the 1,000,000-row CSV (~150 MB) in
# /tmp if missing, builds Release in build/imports-release and times
#   1. `headroom-cli preflight` end to end (wall time, rows/s, peak RSS), and
#   2. bench_preflight (the same library call, best of 3, no process start-up).
# Target: >= 300,000 rows/s.   Usage: tests/bench/imports/run_preflight_bench.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
rows=${1:-1000000}
csv=/tmp/headroom-bench-${rows}.csv
build=build/imports-release
[ -f "$csv" ] || python3 tests/bench/imports/generate_customers.py --rows "$rows" --out "$csv"
echo "input: $csv ($(du -h "$csv" | cut -f1), $rows rows)"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHEADROOM_BUILD_UI=OFF >/dev/null
cmake --build "$build" --target bench_preflight >/dev/null
if cmake --build "$build" --target headroom-cli >/dev/null 2>&1; then
    echo "== headroom-cli preflight --profile customerio-track --file $csv"
    /usr/bin/time -v "$build/bin/headroom-cli" preflight --profile customerio-track --file "$csv" \
        2> /tmp/headroom-preflight-time.txt | tail -n 8
    grep -E "Elapsed \(wall|Maximum resident|User time|System time" /tmp/headroom-preflight-time.txt
else
    echo "(headroom-cli does not build right now; timing the library only)"
fi
echo "== bench_preflight (best of 3)"
"$build/tests/bench/imports/bench_preflight" "$csv" customerio-track - 3
