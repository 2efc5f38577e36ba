#!/usr/bin/env bash
# Exit benchmark (issue 16 item 6): how long headroom-cli takes to exit after
# the last answer of a run. customerio-track, ROWS rows at 100 per 1 s against
# the embedded sandbox's exact sliding window (--sandbox), Release build; the
# last answer is the latest "t" (wall ms, when the answer arrived) of the run
# log, the exit is when waitpid returns. Prints each run and the median of RUNS.
#   tests/bench/run/bench_exit.sh [ROWS] [RUNS]
#   HEADROOM_CLI=/path/to/headroom-cli tests/bench/run/bench_exit.sh   (another build, e.g. a baseline)
set -euo pipefail
cd "$(dirname "$0")/../../.."

ROWS=${1:-1500}
RUNS=${2:-5}
CLI=${HEADROOM_CLI:-}
if [ -z "$CLI" ]; then
    source scripts/lib/deps.sh
    headroom_ensure_build_deps
    cmake --preset release >/dev/null
    cmake --build --preset release --target headroom-cli >/dev/null
    CLI=build/release/bin/headroom-cli
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "headroom-cli exit after the last answer: $ROWS rows, customerio-track at 100/1 s, --sandbox;" \
     "commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 - "$CLI" "$WORK" "$ROWS" "$RUNS" <<'PY'
import json, os, statistics, subprocess, sys, time
cli, work, rows, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
csv = os.path.join(work, "rows.csv")
with open(csv, "w") as f:
    f.write("id,email,plan\n")
    for i in range(1, rows + 1):
        f.write(f"r{i},r{i}@example.com,pro\n")
env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "xdg"))
gaps = []
for n in range(1, runs + 1):
    run_dir = os.path.join(work, f"run{n}")
    started = time.time()
    p = subprocess.run([cli, "run", "--profile", "customerio-track", "--file", csv, "--sandbox",
                        "--run-dir", run_dir, "--progress", "none"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ended = time.time()
    with open(os.path.join(run_dir, "requests.jsonl")) as log:
        last = max(json.loads(line)["t"] for line in log if line.strip()) / 1000.0
    gap = ended - last
    gaps.append(gap)
    print(f"run {n}: exit {p.returncode}, last answer at {last - started:.2f} s, exit at {ended - started:.2f} s, "
          f"gap {gap * 1000:.0f} ms")
print(f"median gap from last answer to process exit: {statistics.median(gaps) * 1000:.0f} ms ({runs} runs)")
PY
