#!/usr/bin/env bash
# Formats every .h/.cpp under core ui app tests in place with the repository's
# .clang-format. With --check it changes nothing, lists the files that are not
# formatted and exits 1 (scripts/test.sh runs it so).
set -euo pipefail
cd "$(dirname "$0")/.."

clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null 2>&1; then
    echo "format: $clang_format not found (apt install clang-format)" >&2
    exit 2
fi

mapfile -d '' files < <(find core ui app tests -type f \( -name '*.h' -o -name '*.cpp' \) -print0 | sort -z)

if [ "${1:-}" = "--check" ]; then
    unformatted=()
    for f in "${files[@]}"; do
        if ! "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1; then
            unformatted+=("$f")
        fi
    done
    if [ "${#unformatted[@]}" -gt 0 ]; then
        echo "format: ${#unformatted[@]} file(s) not formatted with .clang-format:" >&2
        printf '  %s\n' "${unformatted[@]}" >&2
        echo "format: run scripts/format.sh to format them" >&2
        exit 1
    fi
    exit 0
fi

printf '%s\0' "${files[@]}" | xargs -0 -n 50 "$clang_format" -i
