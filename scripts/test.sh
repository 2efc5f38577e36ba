#!/usr/bin/env bash
# The test command: installs what is missing, fails on files clang-format
# would change, builds the `dev` preset (Debug + ASan/UBSan, warnings as
# errors) and runs every ctest label.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
headroom_ensure_build_deps

# Unformatted code fails before the build: scripts/format.sh fixes it.
scripts/format.sh --check

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset dev
cmake --build --preset dev --parallel "$jobs"

export QT_QPA_PLATFORM=offscreen
# Tests run in parallel; each test picks its own free loopback ports.
ctest --preset dev --parallel "$jobs" -L 'unit|integration|hostile|ui' "$@"
