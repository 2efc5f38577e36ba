#!/usr/bin/env bash
# Throughput of the sandbox alone, loaded by a separate process (wrk) on loopback.
# Builds Release, starts headroom-sandbox with limits nobody reaches, runs wrk for
# DURATION seconds per scenario and prints requests/s. Not part of ctest.
#
#   tests/bench/sandbox/bench_sandbox.sh            # 10 s per scenario
#   DURATION=5 CONNECTIONS=64 tests/bench/sandbox/bench_sandbox.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
BUILD=${BUILD:-$ROOT/build/bench-sandbox}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}

# shellcheck source=../../../scripts/lib/deps.sh
source "$ROOT/scripts/lib/deps.sh"
headroom_ensure_build_deps
headroom_ensure_packages wrk curl   # the load generator (and stats), a bench need, not a test dependency

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DHEADROOM_BUILD_UI=OFF -DHEADROOM_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD" --target headroom-sandbox probe_qhttpserver >/dev/null
PROBE="$BUILD/tests/bench/sandbox/probe_qhttpserver"

OUT=$(mktemp)
LUA=$(mktemp --suffix=.lua)
SANDBOX_PID=
PROBE_PID=
cleanup() {
    [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null || true
    [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null || true
    rm -f "$OUT" "$LUA"
}
trap cleanup EXIT

HUGE=1000000000
"$BUILD/bin/headroom-sandbox" --quiet --lifetime $((DURATION * 4 + 60)) \
    --limit "generic=$HUGE/1s" --limit "customerio-track=$HUGE/1s" >"$OUT" &
SANDBOX_PID=$!
for _ in $(seq 100); do grep -q port "$OUT" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$OUT")
[ -n "$PORT" ] || { echo "sandbox did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

# Customer.io identify: PUT with Basic auth, a JSON body, a new customer id per request.
cat >"$LUA" <<'LUA'
wrk.method = "PUT"
wrk.body = '{"email":"someone@example.com","plan":"pro","seats":3}'
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
    n = n + 1
    return wrk.format(nil, "/customerio-track/api/v1/customers/" .. n)
end
LUA
AUTH="Authorization: Basic $(printf 'sandbox-site:sandbox-key' | base64)"

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; sandbox $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
# CPU ticks (user + system) the server process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Prints req/s and, since a shared 2-core machine is noisy, requests per CPU-second
# of the server alone: what one free core would sustain.
run() {
    local name=$1 pid=$2; shift 2
    local before after report rps requests per_cpu
    before=$(cpu_ticks "$pid")
    report=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$@")
    after=$(cpu_ticks "$pid")
    rps=$(sed -n 's/^Requests\/sec: *//p' <<<"$report")
    requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$report")
    per_cpu=$(awk -v r="$requests" -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" \
              'BEGIN { if (t > 0) printf "%.0f", r / (t / hz); else print "?" }')
    printf '%-34s %10s req/s  %8s req per CPU-second of the server\n' "$name" "$rps" "$per_cpu"
}
run "generic GET (echo)" "$SANDBOX_PID" "$BASE/generic/bench"
run "customerio-track identify (PUT)" "$SANDBOX_PID" -s "$LUA" -H "$AUTH" "$BASE"

STATS=$(curl -s "$BASE/__sandbox/stats" 2>/dev/null || true)
# Keys are sorted, so the top-level "accepted" (all APIs) comes first.
echo "sandbox stats: accepted=$(grep -o '^{"accepted":[0-9]*' <<<"$STATS" | grep -o '[0-9]*$')" \
     "rejected=$(sed -n 's/.*"rejectedTotal":\([0-9]*\).*/\1/p' <<<"$STATS")"

# For comparison: Qt HttpServer 6.4 answering a trivial route at once (no JSON, no limits).
if [ -x "$PROBE" ]; then
    "$PROBE" serve >"$OUT.probe" &
    PROBE_PID=$!
    for _ in $(seq 100); do grep -q port "$OUT.probe" 2>/dev/null && break; sleep 0.1; done
    PROBE_PORT=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$OUT.probe")
    run "QHttpServer 6.4 trivial route" "$PROBE_PID" "http://127.0.0.1:$PROBE_PORT/generic/bench"
    rm -f "$OUT.probe"
    # The 6.4 crash the sandbox's own server avoids: exit status 139 = SIGSEGV.
    set +e
    "$PROBE" delayed >/dev/null 2>&1; echo "QHttpServer late answer after client left: exit $?"
    "$PROBE" guarded >/dev/null 2>&1; echo "same, guarded by QPointer<QTcpSocket>:     exit $?"
    set -e
fi
