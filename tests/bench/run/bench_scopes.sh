#!/usr/bin/env bash
# Rate scopes benchmark: a mixed customerio-app request file against the
# sandbox at the App API's documented limits (broadcast triggers 1 per 10 s
# per campaign, transactional sends 100 per 1 s, every other call 10 per
# 1 s), a fresh headroom-sandbox per run. Prints each run's wall time (from
# summary.json) against the shortest possible given every scope, and the
# 429s per scope as the sandbox counted them.
#   tests/bench/run/bench_scopes.sh [RUNS]
#   HEADROOM_BUILD=build/dev tests/bench/run/bench_scopes.sh   (another build's bin/)
set -euo pipefail
cd "$(dirname "$0")/../../.."

RUNS=${1:-3}
BUILD=${HEADROOM_BUILD:-}
if [ -z "$BUILD" ]; then
    source scripts/lib/deps.sh
    headroom_ensure_build_deps
    cmake --preset release >/dev/null
    cmake --build --preset release --target headroom-cli headroom-sandbox >/dev/null
    BUILD=build/release
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "rate scopes: mixed customerio-app file at the documented limits, $BUILD;" \
     "commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 - "$BUILD/bin" "$WORK" "$RUNS" <<'PY'
import json, math, os, subprocess, sys, urllib.request
bindir, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
TRIGGERS, SENDS, OTHERS = 3, 300, 100   # triggers per campaign (2 campaigns), transactional sends, other calls
lines = []
for i in range(TRIGGERS):
    for campaign in (1, 2):
        lines.append({"method": "POST", "path": f"/v1/campaigns/{campaign}/triggers", "body": {"ids": [f"c{campaign}-{i}"]}})
for i in range(SENDS):
    lines.append({"method": "POST", "path": "/v1/send/email",
                  "body": {"transactional_message_id": 1, "identifiers": {"id": f"t{i}"}}})
for i in range(OTHERS):
    lines.append({"method": "GET", "path": f"/v1/customers/p{i}/attributes" if i % 2 else f"/v1/segments/{i}"})
requests = os.path.join(work, "mixed.jsonl")
with open(requests, "w") as f:
    f.writelines(json.dumps(line) + "\n" for line in lines)
mapping = os.path.join(work, "mapping.json")
with open(mapping, "w") as f:
    f.write('{"operation": "request"}')
# The shortest possible: the slowest scope's last request, at its limit from t = 0.
shortest = max((math.ceil(n / limit) - 1) * window
               for n, limit, window in ((TRIGGERS, 1, 10.0), (SENDS, 100, 1.0), (OTHERS, 10, 1.0)))
env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "xdg"))
for n in range(1, runs + 1):
    sandbox = subprocess.Popen([os.path.join(bindir, "headroom-sandbox"), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = json.loads(sandbox.stdout.readline())["port"]
    base = f"http://127.0.0.1:{port}"
    run_dir = os.path.join(work, f"run{n}")
    try:
        p = subprocess.run([os.path.join(bindir, "headroom-cli"), "run", "--profile", "customerio-app",
                            "--file", requests, "--mapping", mapping, "--base-url", f"{base}/customerio-app",
                            "--run-dir", run_dir, "--progress", "none"],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stats = json.load(urllib.request.urlopen(f"{base}/__sandbox/stats"))
    finally:
        sandbox.terminate()
        sandbox.wait()
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    per_scope = {name.split("/", 2)[-1] or name: scope["rejected"]
                 for name, scope in stats["scopes"].items() if scope["rejected"]}
    print(f"run {n}: exit {p.returncode}, {summary['rows_done']}/{len(lines)} rows, "
          f"wall {summary['elapsed_s']:.2f} s against {shortest:.1f} s ({shortest / summary['elapsed_s']:.3f}), "
          f"429s {summary['responses_429']} {per_scope or ''}")
PY
