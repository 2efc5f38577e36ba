#!/usr/bin/env bash
# Builds the .deb from an existing build tree, unpacks it into a temporary root
# and proves it is complete and runs from there:
#   - cpack (DEB) from the build tree ctest runs in: packages what was built, never rebuilds
#   - control fields: version from CMake, hand-added run-time Depends present
#   - every file a desktop install needs: binaries, desktop file named after
#     kDesktopFileName, hicolor SVG + PNG sizes (really that size), metainfo, man pages
#   - desktop-file-validate and appstreamcli validate --no-net pass
#   - <root>/usr/bin/* --version print the build's version
#   - a short sandbox import with the unpacked headroom-cli (when `run` exists)
# usage: check_deb.sh BUILD_DIR SOURCE_DIR VERSION_STRING PROJECT_VERSION WITH_CONSOLE(0|1)
set -euo pipefail

build_dir=$1 source_dir=$2 version=$3 project_version=$4 with_console=$5

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
# check WHAT COMMAND...: one named assertion; a failure is counted, not fatal, so
# one run reports everything that is wrong with the package.
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
need() { command -v "$1" >/dev/null || { echo "FAIL: '$1' not found (Debian: $2; see scripts/lib/deps.sh)" >&2; exit 1; }; }
need cpack cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need appstreamcli appstream
need desktop-file-validate desktop-file-utils

work=$(mktemp -d "${TMPDIR:-/tmp}/headroom-pkg-test.XXXXXX")
sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Sanitizer builds package ASan binaries: Qt's one-time allocations would fail
# every run at exit with a leak report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# Whatever runs from the unpacked root must not touch the user's settings or runs.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
       XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

desktop_id=$(sed -n 's/.*kDesktopFileName *= *"\([^"]*\)".*/\1/p' "$source_dir/core/version/Version.h.in")
[ -n "$desktop_id" ] || { echo "FAIL: kDesktopFileName not found in core/version/Version.h.in" >&2; exit 1; }

# --- build the package -----------------------------------------------------------
# Stripping keeps a sanitizer/debug build's package small and fast to compress;
# the package layout is the same either way.
started=$SECONDS
if ! cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$work/out" \
        -D CPACK_STRIP_FILES=ON >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    echo "FAIL: cpack could not build the .deb" >&2
    exit 1
fi
shopt -s nullglob
debs=("$work"/out/*.deb)
[ ${#debs[@]} -eq 1 ] || { cat "$work/cpack.log" >&2; echo "FAIL: expected one .deb, got ${#debs[@]}" >&2; exit 1; }
deb=${debs[0]}
pass "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) in $((SECONDS - started)) s"

# --- control fields ----------------------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
deb_version=${version//[^A-Za-z0-9.+~]/.}
check "Package: headroom (is '$(field Package)')" test "$(field Package)" = headroom
check "Version: $deb_version (is '$(field Version)')" test "$(field Version)" = "$deb_version"
check "Maintainer: $(field Maintainer)" test -n "$(field Maintainer)"
depends=$(field Depends)
expected_depends=(libsecret-1-0 libqt6core6 libhiredis0.14) # hiredis: found by dpkg-shlibdeps (shared budget)
[ "$with_console" = 1 ] && expected_depends+=(libqt6gui6 libqt6widgets6 libqt6svg6)
for dep in "${expected_depends[@]}"; do
    if echo "$depends" | tr ',' '\n' | grep -qE "^ *$dep( |$)"; then pass "Depends on $dep"
    else fail "Depends lacks $dep: $depends"; fi
done
outside=$(dpkg-deb --contents "$deb" | awk '{print $6}' | grep -vE '^\./(usr/?|usr/.*)?$' || true)
check "every file under /usr${outside:+ (not: $outside)}" test -z "$outside"

# --- unpack and check the files ------------------------------------------------------
root="$work/root"
dpkg-deb -x "$deb" "$root"
exes=(headroom-cli headroom-sandbox)
[ "$with_console" = 1 ] && exes+=(headroom)
for exe in "${exes[@]}"; do
    check "usr/bin/$exe" test -x "$root/usr/bin/$exe"
    page="$root/usr/share/man/man1/$exe.1.gz"
    upper=$(echo "$exe" | tr '[:lower:]' '[:upper:]')
    if [ -f "$page" ] && gzip -dc "$page" | grep -q "^\.TH \"\?$upper\"\? \"\?1" \
            && gzip -dc "$page" | grep -q -- 'version'; then
        pass "man page $exe(1)"
    else
        fail "man page $exe(1) missing or without .TH/options: $page"
    fi
done

# PNG width and height are big-endian at bytes 16..23 of the file.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }
if [ "$with_console" = 1 ]; then
    desktop="$root/usr/share/applications/$desktop_id.desktop"
    metainfo="$root/usr/share/metainfo/$desktop_id.metainfo.xml"
    svg="$root/usr/share/icons/hicolor/scalable/apps/$desktop_id.svg"
    if [ -f "$desktop" ]; then
        pass "desktop file named after kDesktopFileName ($desktop_id)"
        check "desktop-file-validate" desktop-file-validate "$desktop"
        check "desktop Icon=$desktop_id" grep -qx "Icon=$desktop_id" "$desktop"
        check "desktop Exec=headroom" grep -qE '^Exec=headroom( |$)' "$desktop"
    else
        fail "no desktop file $desktop"
    fi
    if [ -f "$metainfo" ]; then
        check "appstreamcli validate --no-net" appstreamcli validate --no-net "$metainfo"
        check "metainfo id $desktop_id" grep -q "<id>$desktop_id</id>" "$metainfo"
        check "metainfo launchable $desktop_id.desktop" \
            grep -q "<launchable type=\"desktop-id\">$desktop_id.desktop</launchable>" "$metainfo"
        check "metainfo release $project_version" grep -q "<release version=\"$project_version\"" "$metainfo"
    else
        fail "no metainfo $metainfo"
    fi
    check "scalable icon ${svg#"$root"}" grep -qs '<svg' "$svg"
    for size in 16 32 48 64 128 256; do
        png="$root/usr/share/icons/hicolor/${size}x${size}/apps/$desktop_id.png"
        if [ -f "$png" ] && [ "$(png_size "$png")" = "${size}x${size}" ]; then pass "icon ${size}x${size}"
        else fail "icon ${size}x${size} missing or wrong size: $png"; fi
    done
fi

# --- run from the unpacked root -----------------------------------------------------
for exe in "${exes[@]}"; do
    if out=$("$root/usr/bin/$exe" --version 2>&1) && [[ "$out" == *"$version"* ]]; then
        pass "$exe --version: $out"
    else
        fail "$exe --version from the package: '$out' (expected '$version')"
    fi
done

cli="$root/usr/bin/headroom-cli"
if "$cli" run --help >/dev/null 2>&1; then
    # The sandbox prints {"port":N} on stdout once it listens: block on the pipe
    # with a deadline instead of polling.
    coproc SANDBOX { exec "$root/usr/bin/headroom-sandbox" --port 0 2>"$work/sandbox.log"; }
    sandbox_pid=$SANDBOX_PID  # set by coproc
    port=""
    while [ -z "$port" ] && IFS= read -r -t 20 -u "${SANDBOX[0]}" line; do
        port=$(echo "$line" | sed -n 's/.*"port" *: *\([0-9][0-9]*\).*/\1/p')
    done
    if [ -z "$port" ]; then
        fail "headroom-sandbox printed no {\"port\":N} line: $(cat "$work/sandbox.log")"
    else
        # The sandbox's default Track workspace credentials; each API lives
        # under its own path prefix.
        rc=0
        HEADROOM_SITE_ID=sandbox-site HEADROOM_API_KEY=sandbox-key \
            timeout 60 "$cli" run --profile customerio-track --file "$source_dir/resources/samples/customers.csv" \
            --base-url "http://127.0.0.1:$port/customerio-track" --run-dir "$work/run" --summary "$work/summary.json" \
            >"$work/run.log" 2>&1 || rc=$?
        rows=$(( $(grep -c . "$source_dir/resources/samples/customers.csv") - 1 ))
        if [ "$rc" -eq 0 ] && grep -qE "\"rows_done\" *: *$rows([^0-9]|$)" "$work/summary.json" 2>/dev/null; then
            pass "sandbox import from the package: $rows rows done"
        else
            fail "sandbox import: exit $rc, summary: $(cat "$work/summary.json" 2>/dev/null || echo none); log: $(tail -5 "$work/run.log")"
        fi
    fi
else
    echo "SKIP import: run not implemented"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "package OK: $(basename "$deb")"
