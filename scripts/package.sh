#!/usr/bin/env bash
# The package command: installs what is missing, builds the release preset and
# packs it into a .deb with CPack (install rules: packaging/CMakeLists.txt).
#   scripts/package.sh          -> build/release/packages/headroom_<version>_<arch>.deb
#   scripts/package.sh DIR      -> the .deb in DIR instead
# Install the result with:  sudo apt install ./build/release/packages/headroom_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
headroom_ensure_build_deps

out=${1:-build/release/packages}
jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$jobs"

mkdir -p "$out"
rm -f "$out"/headroom_*.deb
log="$out/cpack.log"
if ! cpack --config build/release/CPackConfig.cmake -G DEB -B "$out" >"$log" 2>&1; then
    cat "$log" >&2
    echo "headroom: cpack failed (log above)" >&2
    exit 1
fi
deb=$(ls "$out"/headroom_*.deb)
dpkg-deb --field "$deb" Package Version Architecture Depends
echo
echo "$deb"
case $deb in /*) ;; *) deb=./$deb ;; esac
echo "Install it with:  sudo apt install $deb"
