#!/usr/bin/env bash
# What --changed-only saves: a file of ROWS customers is sent whole once (which
# fills the destination's state store), then again with 1 % of its rows
# changed, with --changed-only. Both against the sandbox at a high limit, so
# the runs take minutes, not hours.
# Usage: tests/bench/run/bench_changed_only.sh [CLI] [ROWS] [RATE]
#   CLI   headroom-cli to measure (default build/release/bin/headroom-cli)
#   ROWS  customers in the file (default 1000000)
#   RATE  requests per second, the sandbox's limit and the run's (default 20000)
# Prints, for the full run, preflight with and without --changed-only and the
# changed-only run: wall time, requests, peak RSS (/usr/bin/time -v); the
# store's size on disk; fingerprint lookups per second (the changed-only
# preflight's extra time over the plain one, per row).
set -euo pipefail
CLI=${1:-build/release/bin/headroom-cli}
ROWS=${2:-1000000}
RATE=${3:-20000}
work=$(mktemp -d)
sandbox_pid=
trap '[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null; rm -rf "$work"' EXIT
export HEADROOM_STATE_DIR="$work/state" XDG_DATA_HOME="$work/xdg"

awk -v n="$ROWS" 'BEGIN { print "id,email,plan"; for (i = 1; i <= n; i++) printf "c%d,c%d@example.com,free\n", i, i }' > "$work/full.csv"
awk -F, 'NR > 1 && (NR - 1) % 100 == 0 { $3 = "pro" } { print }' OFS=, "$work/full.csv" > "$work/changed.csv"

printf '{"apis":{"customerio-track":{"limit":%s,"windowMs":1000}}}\n' "$RATE" > "$work/sandbox.json"
"$CLI" sandbox --config "$work/sandbox.json" --port 0 > "$work/port.json" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 1 50); do [ -s "$work/port.json" ] && break; sleep 0.1; done
port=$(sed 's/[^0-9]//g' "$work/port.json")
url="http://127.0.0.1:$port/customerio-track"
export HEADROOM_SITE_ID=sandbox-site HEADROOM_API_KEY=sandbox-key

# measure NAME CMD...: wall time and peak RSS of one command.
measure() {
    local name=$1; shift
    /usr/bin/time -v -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err" || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
    printf '%-22s wall %-9s peak RSS %4s MB' "$name" "$wall" "$rss"
}
summary() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("  requests %d, rows done %d, unchanged %d, %.0f rows/s" % (d["requests"], d["rows_done"], d.get("rows_unchanged", 0), d["rows_per_s"]))' "$1"; }
seconds() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$1.time"; }

measure full-run "$CLI" run --profile customerio-track --file "$work/full.csv" --base-url "$url" \
    --rate "$RATE" --run-dir "$work/run-full" --summary "$work/full.json" --progress none
summary "$work/full.json"
measure preflight "$CLI" preflight --profile customerio-track --file "$work/changed.csv" --rate "$RATE"
echo
measure preflight-changed "$CLI" preflight --profile customerio-track --file "$work/changed.csv" --rate "$RATE" \
    --changed-only --base-url "$url"
echo "  $(grep '^changed-only:' "$work/preflight-changed.out")"
measure changed-only-run "$CLI" run --profile customerio-track --file "$work/changed.csv" --base-url "$url" \
    --rate "$RATE" --run-dir "$work/run-changed" --summary "$work/changed.json" --progress none --changed-only
summary "$work/changed.json"
echo "  $(grep '^changed-only:' "$work/changed-only-run.err")"
echo "store on disk: $(du -sh "$work/state" | cut -f1) ($(du -sb "$work/state" | cut -f1) bytes) for $ROWS rows"
python3 -c 'import sys; plain, changed, rows = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print("fingerprint lookups: %.0f per second (%d rows in %.2f s over the plain preflight)" % (rows / max(changed - plain, 1e-9), rows, changed - plain))' \
    "$(seconds preflight)" "$(seconds preflight-changed)" "$ROWS"
