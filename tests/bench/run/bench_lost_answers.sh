#!/usr/bin/env bash
# Duplicate effects when the server applies a request and loses its answer.
# Usage: tests/bench/run/bench_lost_answers.sh [CLI] [ROWS] [LOST]
#   CLI   headroom-cli to measure (default build/release/bin/headroom-cli);
#         its own `sandbox` subcommand serves, so an older CLI shows the
#         server of its day (one that did not drop copies by key)
#   ROWS  Customer.io track events, one per person (default 1500)
#   LOST  probability that an accepted request's answer is lost (default 0.03)
# Prints the CLI's last line and the sandbox's counts: arrivals, answers lost,
# copies dropped by key, duplicate effects.
set -euo pipefail
CLI=${1:-build/release/bin/headroom-cli}
ROWS=${2:-1500}
LOST=${3:-0.03}
work=$(mktemp -d)
trap 'kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
{ echo "id,event,amount"; for i in $(seq 1 "$ROWS"); do echo "c$i,paid,$((i % 97))"; done; } > "$work/events.csv"
printf '{"apis":{"customerio-track":{"limit":5000,"windowMs":1000}},"faults":{"lostAnswer":%s,"seed":20}}\n' "$LOST" > "$work/sandbox.json"
"$CLI" sandbox --config "$work/sandbox.json" --port 0 > "$work/port.json" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 1 50); do [ -s "$work/port.json" ] && break; sleep 0.1; done
port=$(sed 's/[^0-9]//g' "$work/port.json")
HEADROOM_SITE_ID=sandbox-site HEADROOM_API_KEY=sandbox-key \
    "$CLI" run --profile customerio-track --file "$work/events.csv" \
    --base-url "http://127.0.0.1:$port/customerio-track" --run-dir "$work/run" --progress none 2>/dev/null | head -1
curl -s "http://127.0.0.1:$port/__sandbox/stats" | python3 -c '
import json, sys
d = json.load(sys.stdin)
api = d["apis"]["customerio-track"]
print("arrivals %d, answers lost %d, copies dropped by key %d, duplicate effects %d"
      % (d["accepted"], api.get("lostAnswers", 0), d.get("duplicatesDropped", 0), d["duplicates"]))'
