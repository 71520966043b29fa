#!/usr/bin/env bash
# Builds the Sluice image FROM scratch (docker/Dockerfile) with whatever engine is here and tags
# it: nothing is pulled, so it works offline. Builds the static binary first (CMake preset
# "static") unless SLUICE_STATIC_BIN names one. Prints the image id last.
#   scripts/image.sh [tag]                   (default sluice:latest)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tag="${1:-sluice:latest}"

bin="${SLUICE_STATIC_BIN:-}"
if [[ -z "$bin" ]]; then
  (cd "$root" && cmake --preset static >/dev/null && cmake --build --preset static >&2)
  bin="$root/build/static/sluice"
fi
if ldd "$bin" >/dev/null 2>&1; then
  echo "image.sh: $bin is a dynamic executable; a scratch image has no shared library" >&2
  exit 1
fi

source "$root/scripts/engine-cli.sh"

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$bin" "$ctx/sluice"
cp "$root/docker/Dockerfile" "$ctx/Dockerfile"
echo "image.sh: building $tag with ${engine_cli[*]}" >&2
"${engine_cli[@]}" build -q "${engine_build_flags[@]}" -f "$ctx/Dockerfile" -t "$tag" "$ctx" >&2
"${engine_cli[@]}" image inspect --format '{{.Id}}' "$tag"
