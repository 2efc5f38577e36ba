#!/usr/bin/env bash
# RSS benchmark (issue 18 item 10): whole-process RSS of headroom-cli at the
# start and the end of a long run. customerio-track, ROWS rows at RATE per
# 1 s against headroom-sandbox with no effective limit (a million per second),
# Release build, default strategy (auto). Samples VmRSS every second; "start" is the first sample after
# WARMUP seconds (default 60: connections, pools and buffers have settled), "end" the
# last sample before the process exits. Prints the growth per request; flat is the goal.
#   tests/bench/run/bench_rss.sh [ROWS] [RATE] [WARMUP]
#   HEADROOM_CLI=... HEADROOM_SANDBOX=... tests/bench/run/bench_rss.sh   (another build, e.g. a baseline)
set -euo pipefail
cd "$(dirname "$0")/../../.."

ROWS=${1:-30000}
RATE=${2:-100}
WARMUP=${3:-60}
CLI=${HEADROOM_CLI:-}
SANDBOX=${HEADROOM_SANDBOX:-}
if [ -z "$CLI" ] || [ -z "$SANDBOX" ]; then
    source scripts/lib/deps.sh
    headroom_ensure_build_deps
    cmake --preset release >/dev/null
    cmake --build --preset release --target headroom-cli headroom-sandbox >/dev/null
    CLI=${CLI:-build/release/bin/headroom-cli}
    SANDBOX=${SANDBOX:-build/release/bin/headroom-sandbox}
fi
WORK=$(mktemp -d)
SANDBOX_PID=
cleanup() { [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$SANDBOX" --port 0 --quiet --limit customerio-track=1000000/1s >"$WORK/port" &
SANDBOX_PID=$!
for _ in $(seq 100); do grep -q port "$WORK/port" 2>/dev/null && break; sleep 0.1; done
PORT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$WORK/port")

echo "headroom-cli RSS over a run: $ROWS rows, customerio-track at $RATE/1 s, headroom-sandbox without limit;" \
     "commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 - "$CLI" "$WORK" "$ROWS" "$RATE" "$WARMUP" "$PORT" <<'PY'
import os, subprocess, sys, time
cli, work, rows, rate, warmup, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6]
csv = os.path.join(work, "rows.csv")
with open(csv, "w") as f:
    f.write("id,email,plan\n")
    for i in range(1, rows + 1):
        f.write(f"r{i},r{i}@example.com,pro\n")
env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "xdg"))
p = subprocess.Popen([cli, "run", "--profile", "customerio-track", "--file", csv,
                      "--base-url", f"http://127.0.0.1:{port}/customerio-track",
                      "--rate", rate, "--window", "1s",
                      "--run-dir", os.path.join(work, "run"), "--progress", "none"],
                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def rss_kb():
    try:
        with open(f"/proc/{p.pid}/status") as s:
            for line in s:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
started = time.time()
first = last = None
minutes = []
while p.poll() is None:
    kb = rss_kb()
    t = time.time() - started
    if kb is not None:
        if first is None and t >= warmup:
            first = (t, kb)
        if first is not None:
            last = (t, kb)
        if t >= 60 * (len(minutes) + 1):
            minutes.append(f"{kb / 1024:.1f}")
    time.sleep(1.0)
print(f"exit {p.returncode} after {time.time() - started:.0f} s; RSS (MB) at each minute: {' '.join(minutes)}")
if first and last:
    grown = (last[1] - first[1]) * 1024
    sent = rows * (last[0] - first[0]) / max(1e-9, time.time() - started)
    print(f"RSS at {first[0]:.0f} s: {first[1] / 1024:.1f} MB; at {last[0]:.0f} s: {last[1] / 1024:.1f} MB; "
          f"grew {grown / 1e6:.2f} MB, about {grown / max(1, sent):.0f} bytes per request")
PY
