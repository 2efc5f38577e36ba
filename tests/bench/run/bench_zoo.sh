#!/usr/bin/env bash
# Server-zoo benchmark (issue 16 item 7): whole `headroom-cli run` processes,
# Release build, against headroom-sandbox behaving like real servers do — an
# exact sliding log, a Segment-style fixed window with truncated reset dates,
# a hidden limit below the configured one in a rolling window that counts
# rejections, a limit that halves for 10 s, a neighbour spending from the same
# budget — next to the classic baseline (bench_clients: token bucket at 80 %,
# one call at a time). Prints one Markdown table; measures, never tunes.
# Every run has a timeout, so a client that never finishes shows as "did not
# finish" instead of hanging the script. Takes about 6 minutes when every run
# finishes, up to TIMEOUT more for each one that does not.
#   tests/bench/run/bench_zoo.sh            (TIMEOUT=300 by default)
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/deps.sh
headroom_ensure_build_deps

cmake --preset release >/dev/null
cmake --build --preset release --target headroom-cli headroom-sandbox bench_clients >/dev/null
B=build/release
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "Started $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo
python3 - "$B/bin/headroom-cli" "$B/bin/headroom-sandbox" "$B/tests/bench/run/bench_clients" "$WORK" "${TIMEOUT:-300}" <<'PY'
import json, math, os, shutil, signal, subprocess, sys, time, urllib.request

CLI, SANDBOX, CLIENTS, WORK, TIMEOUT = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
BASELINE_SECONDS = 40  # the baseline is slow by design: it gets a fixed budget and is judged on what it did


def write_inputs():
    with open(f"{WORK}/rows1500.csv", "w") as f:
        f.write("id,email,plan\n")
        for i in range(1, 1501):
            f.write(f"r{i},r{i}@example.com,pro\n")
    with open(f"{WORK}/rows2500.csv", "w") as f:
        f.write("id,email,plan\n")
        for i in range(1, 2501):
            f.write(f"h{i},h{i}@example.com,pro\n")
    with open(f"{WORK}/segment-gets.jsonl", "w") as f:
        for i in range(1, 121):
            f.write(json.dumps({"method": "GET", "path": f"/warehouses/w{i}"}) + "\n")


class Sandbox:
    def __init__(self, config):
        with open(f"{WORK}/sandbox.json", "w") as f:
            json.dump(config, f)
        self.proc = subprocess.Popen([SANDBOX, "--port", "0", "--config", f"{WORK}/sandbox.json", "--quiet"],
                                     stdout=subprocess.PIPE, text=True)
        self.port = json.loads(self.proc.stdout.readline())["port"]

    def url(self, api):
        return f"http://127.0.0.1:{self.port}/{api}"

    def stats(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__sandbox/stats", timeout=10) as r:
            return json.load(r)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run_cli(args, name):
    """One whole headroom-cli run, timed from start to exit; None summary when it did not finish."""
    run_dir, summary = f"{WORK}/{name}", f"{WORK}/{name}.json"
    shutil.rmtree(run_dir, ignore_errors=True)
    start = time.monotonic()
    p = subprocess.run(["timeout", str(TIMEOUT), CLI, "run", *args, "--progress", "none",
                        "--run-dir", run_dir, "--summary", summary],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    finished = p.returncode != 124 and os.path.exists(summary)
    s = json.load(open(summary)) if finished else None
    log = []
    if os.path.exists(f"{run_dir}/requests.jsonl"):
        for line in open(f"{run_dir}/requests.jsonl"):
            try:
                log.append(json.loads(line))
            except ValueError:
                pass  # a line cut by the timeout
    GUARD.extend(l for l in log if l.get("op") == "liveness-guard")
    return {"elapsed": elapsed, "finished": finished, "summary": s, "log": log, "start_wall": time.time() - elapsed}


def run_baseline(sandbox, rows):
    out = subprocess.run(["timeout", str(BASELINE_SECONDS + 60), CLIENTS, "baseline", "--url", sandbox.url("customerio-track"),
                          "--rate", "80", "--rows", str(rows), "--max-seconds", str(BASELINE_SECONDS)],
                         capture_output=True, text=True)
    return json.loads(out.stdout) if out.returncode == 0 else None


def server_counts(stats, api):
    a = stats["apis"].get(api, {})
    rejected = a.get("rejected", {})
    n429 = int(rejected.get("429", 0))
    requests = int(a.get("accepted", 0)) + sum(int(v) for v in rejected.values()) + int(a.get("dropped", 0))
    scopes = [s for s in stats["scopes"].values() if s["api"] == api]
    neighbour_rejected = sum(int(s.get("neighbourRejected", 0)) for s in scopes)
    neighbour_accepted = sum(int(s.get("neighbourAccepted", 0)) for s in scopes)
    return n429, requests, int(a.get("accepted", 0)), neighbour_rejected, neighbour_accepted


ROWS = []
GUARD = []  # liveness-guard notices of every headroom-cli run: the guard must never fire here


def row(scenario, strategy, done, total, elapsed, finished, eff, n429, requests, neighbour, target, note="", extra_ok=True,
        target_text=None):
    eff_min, share_max = target
    target_text = target_text or f"≥ {eff_min:.2f}, ≤ {share_max:g} %"
    share = 100.0 * n429 / max(requests, 1)
    ok = finished and done == total and eff is not None and eff >= eff_min and share <= share_max and extra_ok
    status = "did not finish" if not finished else ("meets target" if ok else "misses target")
    eff_text = "–" if eff is None else f"{eff:.3f}"
    ROWS.append(f"| {scenario} | {strategy} | {done}/{total} | {elapsed:.1f} | {eff_text} | {n429} | {share:.2f} % | "
                f"{neighbour} | {target_text} | {status}{'; ' + note if note else ''} |")
    print(ROWS[-1], flush=True)


def first_send_ms(log):
    return min(l["t"] - l["latency_ms"] for l in log) if log else None


def latency_faults(ms):
    return {"latencyMs": ms * 8 // 10, "jitterMs": ms * 4 // 10, "apis": ["customerio-track", "segment-public"]}


write_inputs()
print("| scenario | client | rows done | elapsed s | efficiency | 429s | 429 share | neighbour rejected | target | result |")
print("|---|---|---|---|---|---|---|---|---|---|", flush=True)

# 1. Exact sliding log, 100 per 1 s, the limit the engine is told.
#    Efficiency = rows/s over the whole process ÷ 100/s.
for lat in (0, 50, 150):
    sb = Sandbox({"apis": {"customerio-track": {"limit": 100, "windowMs": 1000, "window": "sliding"}},
                  "faults": latency_faults(lat)})
    r = run_cli(["--profile", "customerio-track", "--file", f"{WORK}/rows1500.csv", "--base-url", sb.url("customerio-track"),
                 "--rate", "100", "--window", "1s"], f"sliding{lat}")
    n429, req, acc, nrej, _ = server_counts(sb.stats(), "customerio-track")
    done = r["summary"]["rows_done"] if r["finished"] else acc
    row(f"exact sliding 100/1 s, latency {lat} ms ±20 %", "headroom-cli", done, 1500, r["elapsed"], r["finished"],
        done / r["elapsed"] / 100, n429, req, "–", (0.97, 0.5))
    sb.stop()
    sb = Sandbox({"apis": {"customerio-track": {"limit": 100, "windowMs": 1000, "window": "sliding"}},
                  "faults": latency_faults(lat)})
    b = run_baseline(sb, 1500)
    if b:
        row(f"exact sliding 100/1 s, latency {lat} ms ±20 %", "baseline: token bucket 80 %, sequential",
            b["rows_done"], 1500, b["elapsed_s"], True, b["rows_done"] / b["elapsed_s"] / 100, b["responses_429"], b["requests"], "–",
            (0.97, 0.5), f"stopped after {BASELINE_SECONDS} s" if b["rows_done"] < 1500 else "")
    sb.stop()

# 2. Segment Public API: rate-limiter-flexible behind it (a fixed window that
#    opens at its first request, rejected requests consumed), 30 per 10 s,
#    X-RateLimit-Consumed/-Remaining/-Reset with the reset date truncated to
#    the second as Date.toUTCString prints it, Retry-After seconds on a 429.
#    120 GETs = 4 windows: the last opens 30 s after the first request.
sb = Sandbox({"apis": {"segment-public": {"limit": 30, "windowMs": 10000, "window": "fixed", "xRateLimit": "always",
                                          "xRateLimitLimit": False, "resetFormat": "http-date-truncated",
                                          "retryAfter": "seconds"}},
              "faults": latency_faults(50)})
r = run_cli(["--profile", "segment-public", "--file", f"{WORK}/segment-gets.jsonl", "--base-url", sb.url("segment-public")],
            "segment")
st = sb.stats()
n429, req, acc, _, _ = server_counts(st, "segment-public")
done = r["summary"]["rows_done"] if r["finished"] else acc
windows = max(1, math.ceil(done / 30))
ideal = (windows - 1) * 10 + 0.05
worst = max((s.get("maxInFixedWindow", 0) for s in st["scopes"].values()), default=0)
row("Segment-style fixed 30/10 s from the first request, truncated reset dates", "headroom-cli", done, 120,
    r["elapsed"], r["finished"], ideal / r["elapsed"] if r["finished"] else None, n429, req, "–", (0.95, 100.0),
    f"{n429 / windows:.1f} 429s per window, max {worst} accepted in a window", extra_ok=n429 <= windows,
    target_text="≥ 0.95, ≤ 1 429 per window, finishes")
sb.stop()

# 3. A hidden limit: the engine is told 100/s, the workspace allows 60/s, in a
#    rolling window that records rejected attempts (rolling-rate-limiter), a
#    bare 429 (no Retry-After, no rate headers). Efficiency after the first
#    10 s, from the run log (send time = t - latency_ms): accepted ÷ (60/s × time).
for strategy in (None, "discover"):
    sb = Sandbox({"apis": {"customerio-track": {"limit": 60, "advertisedLimit": 100, "windowMs": 1000, "window": "rolling",
                                                "retryAfter": "none", "hidden": True}},
                  "faults": latency_faults(50)})
    args = ["--profile", "customerio-track", "--file", f"{WORK}/rows1500.csv", "--base-url", sb.url("customerio-track"),
            "--rate", "100", "--window", "1s"] + (["--strategy", strategy] if strategy else [])
    r = run_cli(args, f"hidden-{strategy or 'default'}")
    n429, req, acc, _, _ = server_counts(sb.stats(), "customerio-track")
    done = r["summary"]["rows_done"] if r["finished"] else acc
    eff = None
    t0 = first_send_ms(r["log"])
    if t0 is not None:
        t1 = max(l["t"] for l in r["log"])
        late_ok = sum(1 for l in r["log"] if l["t"] - l["latency_ms"] - t0 >= 10000 and 200 <= l["status"] < 300)
        if t1 - t0 > 10000:
            eff = late_ok / ((t1 - t0 - 10000) / 1000 * 60)
    row("hidden 60/s (told 100/s), rolling window counting rejections, bare 429",
        f"headroom-cli ({'--strategy ' + strategy if strategy else 'default strategy'})", done, 1500, r["elapsed"],
        r["finished"], eff, n429, req, "–", (0.90, 2.0), "efficiency after the first 10 s")
    sb.stop()
sb = Sandbox({"apis": {"customerio-track": {"limit": 60, "advertisedLimit": 100, "windowMs": 1000, "window": "rolling",
                                            "retryAfter": "none", "hidden": True}},
              "faults": latency_faults(50)})
b = run_baseline(sb, 1500)
if b:
    row("hidden 60/s (told 100/s), rolling window counting rejections, bare 429", "baseline: token bucket 80 %, sequential",
        b["rows_done"], 1500, b["elapsed_s"], True, b["rows_done"] / b["elapsed_s"] / 60, b["responses_429"], b["requests"],
        "–", (0.90, 2.0), "efficiency over the whole run" + (f", stopped after {BASELINE_SECONDS} s" if b["rows_done"] < 1500 else ""))
sb.stop()

# 4. The limit halves (100 -> 50 per 1 s) from 10 s to 20 s after the first
#    request, then comes back. Capacity offered over the run = the first
#    window's 100 + the integral of the limit from the first request to exit.
def capacity(seconds):
    low = max(0.0, min(seconds, 20.0) - 10.0)
    return 100 + 100 * seconds - 50 * low

halving = {"apis": {"customerio-track": {"limit": 100, "windowMs": 1000, "window": "sliding",
                                         "limitSchedule": [{"fromSeconds": 10, "toSeconds": 20, "limit": 50}]}},
           "faults": latency_faults(50)}
sb = Sandbox(halving)
r = run_cli(["--profile", "customerio-track", "--file", f"{WORK}/rows2500.csv", "--base-url", sb.url("customerio-track"),
             "--rate", "100", "--window", "1s"], "halving")
n429, req, acc, _, _ = server_counts(sb.stats(), "customerio-track")
done = r["summary"]["rows_done"] if r["finished"] else acc
t0 = first_send_ms(r["log"])
span = r["elapsed"] - (t0 / 1000 - r["start_wall"]) if t0 is not None else r["elapsed"]
row("limit halves 100 → 50 /1 s from +10 s to +20 s", "headroom-cli", done, 2500, r["elapsed"], r["finished"],
    done / capacity(span), n429, req, "–", (0.90, 3.0), "efficiency = rows ÷ capacity offered")
sb.stop()
sb = Sandbox(halving)
b = run_baseline(sb, 2500)
if b:
    row("limit halves 100 → 50 /1 s from +10 s to +20 s", "baseline: token bucket 80 %, sequential", b["rows_done"], 2500,
        b["elapsed_s"], True, b["rows_done"] / capacity(b["elapsed_s"]), b["responses_429"], b["requests"], "–", (0.90, 3.0),
        f"stopped after {BASELINE_SECONDS} s" if b["rows_done"] < 2500 else "")
sb.stop()

# 5. A neighbour spends 30/s of the 100/s workspace budget from the first
#    request on. Efficiency against what is left: rows/s ÷ 70/s.
neighbour = {"apis": {"customerio-track": {"limit": 100, "windowMs": 1000, "window": "sliding", "neighbourPerSecond": 30}},
             "faults": latency_faults(50)}
sb = Sandbox(neighbour)
r = run_cli(["--profile", "customerio-track", "--file", f"{WORK}/rows1500.csv", "--base-url", sb.url("customerio-track"),
             "--rate", "100", "--window", "1s"], "neighbour")
n429, req, acc, nrej, nacc = server_counts(sb.stats(), "customerio-track")
done = r["summary"]["rows_done"] if r["finished"] else acc
row("neighbour spends 30/s of 100/s (sliding)", "headroom-cli", done, 1500, r["elapsed"], r["finished"],
    done / r["elapsed"] / 70, n429, req, f"{nrej} of {nrej + nacc}", (0.90, 2.0))
sb.stop()
sb = Sandbox(neighbour)
b = run_baseline(sb, 1500)
if b:
    n429b, reqb, accb, nrej, nacc = server_counts(sb.stats(), "customerio-track")
    row("neighbour spends 30/s of 100/s (sliding)", "baseline: token bucket 80 %, sequential", b["rows_done"], 1500,
        b["elapsed_s"], True, b["rows_done"] / b["elapsed_s"] / 70, b["responses_429"],
        b["requests"], f"{nrej} of {nrej + nacc}", (0.90, 2.0),
        f"stopped after {BASELINE_SECONDS} s" if b["rows_done"] < 1500 else "")
sb.stop()

print()
print(f"Liveness guard notices across every headroom-cli run: {len(GUARD)}" +
      "".join(f"\n  {g.get('lane')}: {g.get('reason')}" for g in GUARD[:5]))
print(f"Efficiency: rows/s ÷ the limit (sliding: 100/s, neighbour: the 70/s left), ideal time ÷ elapsed (Segment), "
      f"accepted ÷ (60/s × time) after the first 10 s (hidden), rows ÷ capacity offered (halving). Elapsed: the whole process, start to exit; timeout {TIMEOUT} s. "
      f"The baseline runs at most {BASELINE_SECONDS} s. 429s and requests are the sandbox's counts.")
PY
echo
echo "Finished $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
