# Sourced by scripts/*.sh: makes sure the Debian packages Headroom builds with are present.
# As root it installs what is missing; otherwise it prints the exact command and exits 2.

HEADROOM_PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev
    qt6-httpserver-dev qt6-websockets-dev   # HttpServer's CMake config needs WebSockets (Debian gap)
    qtkeychain-qt6-dev libgl1-mesa-dev
    libqt6opengl6-dev                       # Qt6Charts' CMake config needs Qt6OpenGL(Widgets); only a Recommends of qt6-base-dev
    libqt6svg6                              # SVG icons
    libqt6sql6-sqlite                       # Qt SQL's SQLite driver: the state stores (core/state)
    xvfb xauth                              # real-window screenshots
    time                                    # /usr/bin/time -v for peak RSS in benchmarks
    dpkg-dev file                           # CPack DEB: dpkg-shlibdeps, and file to find the binaries
    librsvg2-bin help2man                   # PNG icons from the SVG, man pages from --help
    appstream desktop-file-utils            # validate the metainfo and the desktop file
    libhiredis-dev                          # the Redis client of the shared budget (core/budget)
    redis-server                            # the shared-budget tests start their own on a free port
    clang-format                            # scripts/format.sh; scripts/test.sh fails on unformatted files
)

headroom_missing_packages() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    echo "${missing[@]:-}"
}

headroom_ensure_packages() {
    local missing
    missing=$(headroom_missing_packages "$@")
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "headroom: installing missing packages: $missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >&2
    else
        echo "headroom: missing Debian packages. Install them with:" >&2
        echo "    sudo apt-get install -y $missing" >&2
        exit 2
    fi
}

headroom_ensure_build_deps() {
    headroom_ensure_packages "${HEADROOM_PACKAGES[@]}"
}
