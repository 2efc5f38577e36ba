#!/usr/bin/env bash
# Screenshots of the console mid-run, for people without a display: builds
# Release, starts the console under Xvfb against its embedded sandbox with the
# bundled sample, and saves one PNG per panel (plus one per chart).
#   scripts/screenshots.sh [OUT_DIR] [DELAY_MS]     default build/screenshots, 4000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
headroom_ensure_build_deps

out=${1:-build/screenshots}
delay=${2:-4000}
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs" --target headroom

mkdir -p "$out"
out=$(cd "$out" && pwd)
# A throw-away home: the screenshots neither read nor change the user's
# settings, runs or keychain.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
unset QT_QPA_PLATFORM

xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24 -dpi 96" \
    build/release/bin/headroom --sandbox --file resources/samples/customers.csv \
    --screenshots "$out" --screenshot-after-ms "$delay"
echo "screenshots in $out"
