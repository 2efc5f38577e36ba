#!/usr/bin/env bash
# Batching benchmark (issue 6): a full `headroom-cli run --batch` of the
# 1,000,000-row CSV (~150 MB) against a Release headroom-sandbox limited to
# 100 requests per 1 s, with peak RSS from /usr/bin/time -v; then the same
# limit without --batch on the first 1,000 rows, for the rows/s ratio.
#   tests/bench/imports/run_batch_bench.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/deps.sh
headroom_ensure_build_deps
rows=${1:-1000000}
csv=/tmp/headroom-bench-${rows}.csv
[ -f "$csv" ] || python3 tests/bench/imports/generate_customers.py --rows "$rows" --out "$csv"
head -n 1001 "$csv" > /tmp/headroom-bench-1000.csv
cmake --preset release >/dev/null
cmake --build --preset release --target headroom-cli headroom-sandbox >/dev/null
bin=build/release/bin
work=$(mktemp -d)
"$bin/headroom-sandbox" --port 0 --quiet --limit customerio-track=100/1s > "$work/port" &
sb=$!
trap 'kill $sb 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q port "$work/port" 2>/dev/null && break; sleep 0.05; done
port=$(python3 -c "import json;print(json.load(open('$work/port'))['port'])")
url="http://127.0.0.1:$port/customerio-track"

echo "input: $csv ($(du -h "$csv" | cut -f1), $rows rows); sandbox limit 100 per 1 s"
/usr/bin/time -v "$bin/headroom-cli" run --profile customerio-track --file "$csv" --base-url "$url" --batch \
    --progress none --run-dir "$work/batched" --summary "$work/batched.json" 2> "$work/time.txt" | tail -n 1
batched=$(python3 -c "import json;print(json.load(open('$work/batched.json'))['rows_per_s'])")
rss=$(awk -F': ' '/Maximum resident/{print $2}' "$work/time.txt")
# The sandbox still counts the batched run's last second: start the next run on a fresh window.
curl -s -X POST "http://127.0.0.1:$port/__sandbox/reset" >/dev/null
"$bin/headroom-cli" run --profile customerio-track --file /tmp/headroom-bench-1000.csv --base-url "$url" \
    --progress none --run-dir "$work/single" --summary "$work/single.json" | tail -n 1
single=$(python3 -c "import json;print(json.load(open('$work/single.json'))['rows_per_s'])")
python3 - "$batched" "$single" "$rss" <<'PY'
import sys
b, s, rss = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"| --batch rows/s | without rows/s | ratio | peak RSS of run --batch |")
print(f"|---|---|---|---|")
print(f"| {b:,.0f} | {s:,.1f} | {b/s:,.0f}x | {rss/1024:.0f} MiB |")
PY
