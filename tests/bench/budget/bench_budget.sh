#!/usr/bin/env bash
# Shared-budget benchmark (issue 10): three headroom-cli processes import into
# one sandbox workspace limited to 100 per 1 s, once drawing from one Redis
# budget and once each at the full limit on its own; then the cost of one
# decision (the GCRA script's round trip and throughput, the local answer).
# Release build in build/budget-rel; a redis-server of its own on a free port.
# Prints Markdown tables for docs/BENCHMARKS.md. Takes about 2 minutes.
#   tests/bench/budget/bench_budget.sh [ROWS_PER_PROCESS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/deps.sh
headroom_ensure_build_deps

ROWS=${1:-1000}
B=build/budget-rel
cmake --preset release -B "$B" >/dev/null
cmake --build "$B" --target headroom-cli headroom-sandbox bench_budget_decision -j2 >/dev/null
CLI=$B/bin/headroom-cli
SANDBOX=$B/bin/headroom-sandbox
DECISION=$B/tests/bench/budget/bench_budget_decision
WORK=$(mktemp -d)
SB_PID=
REDIS_PID=
cleanup() {
    [ -n "$SB_PID" ] && kill "$SB_PID" 2>/dev/null || true
    [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"; }
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --loglevel warning \
    >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done 2>/dev/null || true

echo '{"apis":{"customerio-track":{"limit":100,"windowMs":1000}}}' > "$WORK/sandbox.json"
"$SANDBOX" --port 0 --config "$WORK/sandbox.json" --quiet > "$WORK/port" &
SB_PID=$!
for _ in $(seq 100); do grep -q port "$WORK/port" 2>/dev/null && break; sleep 0.05; done
PORT=$(python3 -c "import json;print(json.load(open('$WORK/port'))['port'])")
SB="http://127.0.0.1:$PORT"

for p in 0 1 2; do
    python3 - "$WORK/p$p.csv" "$p" "$ROWS" <<'PY'
import sys
path, p, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w") as f:
    f.write("id,email\n")
    for i in range(1, rows + 1):
        f.write(f"p{p}-{i},p{p}-{i}@example.com\n")
PY
done

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "Started $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), load average $(loadavg) on $(nproc) cores"
echo
echo "| 3 × headroom-cli, $ROWS rows each, sandbox 100/1 s sliding | rows done | elapsed s | rows/s together | efficiency (÷ limit) | requests | 429s | 429 share | sandbox peak in a window |"
echo "|---|---|---|---|---|---|---|---|---|"

run_three() { # $1: label, $2: key or "" for none
    curl -s -X POST "$SB/__sandbox/reset" >/dev/null
    # The sandbox still counts the previous run's last second.
    sleep 1.1
    local pids=() start end
    start=$(date +%s.%N)
    for p in 0 1 2; do
        local extra=()
        [ -n "$2" ] && extra=(--shared-budget "redis://127.0.0.1:$REDIS_PORT/0?key=$2")
        "$CLI" run --profile customerio-track --file "$WORK/p$p.csv" --base-url "$SB/customerio-track" \
            --rate 100 --window 1s --run-dir "$WORK/run-$2-$p" --summary "$WORK/s$p.json" --progress none \
            "${extra[@]}" >/dev/null 2>"$WORK/err-${2:-none}-$p.txt" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    end=$(date +%s.%N)
    curl -s "$SB/__sandbox/stats" > "$WORK/stats.json"
    python3 - "$1" "$start" "$end" "$WORK" <<'PY'
import json, sys
label, start, end, work = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
done = req = n429 = 0
for p in range(3):
    s = json.load(open(f"{work}/s{p}.json"))
    done += s["rows_done"]; req += s["requests"]; n429 += s["responses_429"]
stats = json.load(open(f"{work}/stats.json"))
peak = max(stats.get("maxInWindow", {}).values() or [0])
el = end - start
rps = done / el
print(f"| {label} | {done} | {el:.1f} | {rps:.1f} | {rps/100:.3f} | {req} | {n429} | {100*n429/max(req,1):.2f} % | {peak} |")
PY
}

run_three "shared budget (one Redis key)" "bench-$$"
run_three "no shared budget (each at the full limit)" ""
echo
echo "Each shared-budget process at its end (Redis round trips as the engine saw them):"
echo
grep -h "round trip" "$WORK"/err-bench-*.txt 2>/dev/null | sed 's/^/    /' || true
echo
echo "Cost per decision (Release, loopback Redis $(redis-server --version | grep -o 'v=[0-9.]*')):"
echo
echo "| what | n | | | |"
echo "|---|---|---|---|---|"
"$DECISION" "$REDIS_PORT" 20000
echo
echo "Ended $(date -u '+%H:%M UTC'), load average $(loadavg)"
