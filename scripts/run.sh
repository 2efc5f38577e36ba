#!/usr/bin/env bash
# The run command: installs what is missing, builds Release and starts Headroom
# against the embedded sandbox with the bundled sample import.
#   scripts/run.sh             the console
#   scripts/run.sh --headless  the same import from the terminal with headroom-cli
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
headroom_ensure_build_deps

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs"
bin=build/release/bin
sample=resources/samples/customers.csv

if [ "${1:-}" = "--headless" ]; then
    # The same import from the terminal: an embedded sandbox on 127.0.0.1, the
    # Customer.io Track profile at its documented 100 requests per second.
    "$bin/headroom-cli" --version
    exec "$bin/headroom-cli" run --profile customerio-track --file "$sample" --sandbox \
        --summary build/release/last-summary.json
fi

# The console: the embedded sandbox selected and the bundled sample loaded, so Start just works.
exec "$bin/headroom" --sandbox --file "$sample"
