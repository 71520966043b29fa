#!/usr/bin/env bash
# Formats the C++ sources (every tracked *.cpp, *.hpp, *.h, *.cc) with clang-format 14, Debian
# bookworm's, and the repository's .clang-format.
#   scripts/format.sh            reformats them in place
#   scripts/format.sh --check    lists those that differ from the format; exits 1 if any does
# Another clang-format version formats some constructs differently, so the script insists on 14;
# CLANG_FORMAT=/path/to/clang-format overrides the choice (and the version check).
# scripts/install-deps.sh test installs clang-format-14.
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac

if [[ -n "${CLANG_FORMAT:-}" ]]; then
  cf="$CLANG_FORMAT"
else
  cf="$(command -v clang-format-14 || command -v clang-format || true)"
  if [[ -z "$cf" ]]; then
    echo "format.sh: clang-format 14 is missing (apt-get install clang-format-14, or scripts/install-deps.sh test)" >&2
    exit 2
  fi
  version="$("$cf" --version)"
  if [[ ! "$version" =~ version\ 14\. ]]; then
    echo "format.sh: $cf is not clang-format 14 ($version); set CLANG_FORMAT to use it anyway" >&2
    exit 2
  fi
fi

# Tracked files only: nothing under build/ or node_modules/. Vendored code (third_party/) keeps
# its upstream format, so its patches stay diffable against upstream; generated files are
# generated into the build directory. `exclude` is an extended regular expression on the path.
exclude='^third_party/'
files=()
while IFS= read -r -d '' f; do
  [[ "$f" =~ $exclude ]] || files+=("$f")
done < <(git ls-files -z -- '*.cpp' '*.hpp' '*.h' '*.cc')
if ((${#files[@]} == 0)); then
  echo "format.sh: no C++ files found (is this a git checkout?)" >&2
  exit 2
fi

if ((check == 0)); then
  printf '%s\0' "${files[@]}" | xargs -0 -n 16 -P "$(nproc)" "$cf" --style=file -i
  echo "format.sh: formatted ${#files[@]} files"
  exit 0
fi

# One line per file that differs, "<path>: <N> lines differ", in path order.
# shellcheck disable=SC2016
differing="$(printf '%s\0' "${files[@]}" | xargs -0 -n 8 -P "$(nproc)" bash -c '
  t="$(mktemp)"; trap "rm -f \"$t\"" EXIT
  for f; do
    "$0" --style=file "$f" >"$t" || { echo "$f: clang-format failed"; continue; }
    cmp -s "$t" "$f" || echo "$f: $(diff "$f" "$t" | grep -c "^[<>]") lines differ"
  done' "$cf" | sort)"
if [[ -n "$differing" ]]; then
  echo "$differing"
  echo "format.sh: $(wc -l <<<"$differing") of ${#files[@]} C++ files differ from .clang-format (scripts/format.sh fixes them)"
  exit 1
fi
echo "format.sh: all ${#files[@]} C++ files match .clang-format"
