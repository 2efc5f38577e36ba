#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/fuzz_*.cpp) with clang in build/fuzz
# and runs each for N seconds with its seed corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 60 s, every target
#
# Seeds: tests/fuzz/corpus/<name>/ where <name> is the target without "fuzz_"
# (fuzz_rate_signals -> rate_signals) or also without "_reader"
# (fuzz_csv_reader -> csv). New inputs libFuzzer finds go to
# build/fuzz/corpus/<name>/, never into the repository; crashes go to
# build/fuzz/artifacts/. Any crash makes the script exit 1: turn the crashing
# input into a unit test (see docs/BENCHMARKS.md, Imports).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
headroom_ensure_build_deps
headroom_ensure_packages clang libclang-rt-dev   # libFuzzer ships with clang's compiler-rt

seconds=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for src in tests/fuzz/fuzz_*.cpp; do
        [ -e "$src" ] || continue
        targets+=("$(basename "$src" .cpp)")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz: no targets in tests/fuzz" >&2
    exit 2
fi

build=build/fuzz
# The library code gets coverage instrumentation too (fuzzer-no-link), or the
# fuzzer would be blind inside the readers it is meant to explore.
cmake -S . -B "$build" -G Ninja \
    -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
    -DHEADROOM_FUZZ=ON -DHEADROOM_BUILD_TESTS=OFF -DHEADROOM_BUILD_UI=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}" --parallel "$(nproc 2>/dev/null || echo 2)"

mkdir -p "$build/artifacts"
failed=()
for t in "${targets[@]}"; do
    name=${t#fuzz_}
    seeds=tests/fuzz/corpus/$name
    [ -d "$seeds" ] || seeds=tests/fuzz/corpus/${name%_reader}
    work=$build/corpus/$name
    mkdir -p "$work"
    dirs=("$work")
    [ -d "$seeds" ] && dirs+=("$seeds")
    echo "== $t for ${seconds}s (seeds: ${seeds})"
    if ! ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${dirs[@]}"; then
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]} (inputs in $build/artifacts/)" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} target(s), ${seconds}s each, no crash"
