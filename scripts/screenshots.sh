#!/usr/bin/env bash
# Screenshots of the console mid-run, for people without a display: builds (or
# reuses) a Release tree, starts the console under Xvfb against its embedded
# sandbox with the bundled sample and three more imports in the transfer list
# (all four share the sandbox workspace's budget), and saves one PNG per panel,
# one of the whole window and one per chart, about 4 s into the runs.
#
#   scripts/screenshots.sh [--dark] [--scale N] [--delay MS] [--build-dir DIR] [--out DIR]
#
#   --dark           a dark system palette: Qt's GTK 3 platform theme with the
#                    Adwaita:dark GTK theme, as a GNOME desktop in dark mode gives
#   --scale N        QT_SCALE_FACTOR=N (2 for a high-DPI screen; 1.5 works too),
#                    on a screen N times as large, so the layout is the same
#   --delay MS       time from Start to the screenshots (default 4000)
#   --build-dir DIR  a Release tree to build in and use (default build/release);
#                    an existing tree of another build type is refused
#   --out DIR        where the PNGs go (default build/screenshots/<light|dark>-<N>x)
#
# The old positional form `scripts/screenshots.sh [OUT_DIR] [DELAY_MS]` still works.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

usage() {
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

dark=0
scale=1
delay=4000
build=build/release
out=
positional=()
while [ $# -gt 0 ]; do
    case "$1" in
    --dark) dark=1 ;;
    --scale) scale=${2:?--scale needs a number}; shift ;;
    --scale=*) scale=${1#*=} ;;
    --delay) delay=${2:?--delay needs milliseconds}; shift ;;
    --build-dir) build=${2:?--build-dir needs a directory}; shift ;;
    --out) out=${2:?--out needs a directory}; shift ;;
    -h | --help) usage ;;
    -*) echo "screenshots.sh: unknown option $1" >&2; usage ;;
    *) positional+=("$1") ;;
    esac
    shift
done
[ ${#positional[@]} -ge 1 ] && out=${positional[0]}
[ ${#positional[@]} -ge 2 ] && delay=${positional[1]}
if ! awk -v s="$scale" 'BEGIN { exit !(s + 0 >= 1 && s + 0 <= 4) }'; then
    echo "screenshots.sh: --scale expects a number from 1 to 4, got '$scale'" >&2
    exit 2
fi
case "$delay" in '' | *[!0-9]*) echo "screenshots.sh: --delay expects milliseconds" >&2; exit 2 ;; esac
[ -n "$out" ] || out="build/screenshots/$([ "$dark" = 1 ] && echo dark || echo light)-${scale}x"

headroom_ensure_build_deps
# The GTK 3 platform theme is what turns a dark GTK theme into a dark Qt palette.
[ "$dark" = 1 ] && headroom_ensure_packages qt6-gtk-platformtheme

# Release, and only the console: screenshots of a Debug build would show
# the same pixels, but a Release tree is what people run.
if [ -f "$build/CMakeCache.txt" ]; then
    type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
    if [ "$type" != Release ]; then
        echo "screenshots.sh: $build is a '$type' tree, not Release (choose another --build-dir)" >&2
        exit 2
    fi
elif [ "$build" = build/release ]; then
    cmake --preset release >/dev/null
else
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHEADROOM_WERROR=OFF >/dev/null
fi
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
cmake --build "$build" --parallel "$jobs" --target headroom

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/*.png
# A throw-away home: the screenshots neither read nor change the user's
# settings, runs or keychain.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset QT_QPA_PLATFORM QT_QPA_PLATFORMTHEME GTK_THEME QT_SCALE_FACTOR QT_SCREEN_SCALE_FACTORS
if [ "$dark" = 1 ]; then
    export QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark
fi
export QT_SCALE_FACTOR="$scale"
# The screen grows with the scale, so the window has the same room in
# device-independent pixels at every scale.
screen=$(awk -v s="$scale" 'BEGIN { printf "%dx%dx24", 1600 * s, 1000 * s }')

# Tonight's three files in the transfer list, all running at once beside the
# Start button's run, so the list in the window's centre shows them mid-run
# (and the charts, on "All", their scope's total).
imports=()
for name in tonight-customers tonight-trial tonight-churned; do
    cp resources/samples/customers.csv "$scratch/$name.csv"
    imports+=("$scratch/$name.csv")
done

xvfb-run --auto-servernum --server-args="-screen 0 $screen -dpi 96" \
    "$build/bin/headroom" --sandbox --file resources/samples/customers.csv \
    --screenshots "$out" --screenshot-after-ms "$delay" "${imports[@]}"
echo "screenshots ($([ "$dark" = 1 ] && echo dark || echo light) palette, scale $scale) in $out"
