#!/usr/bin/env bash
# Builds the Sluice test worker image: compiles worker.c statically and copies it into a
# FROM-scratch image, so nothing is pulled. Safe to run again; prints the image id last.
#   docker/test-worker/build.sh [tag]        (default sluice-test-worker:latest)
# The engine: the one scripts/engine-cli.sh picks.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tag="${1:-sluice-test-worker:latest}"

source "$here/../../scripts/engine-cli.sh"

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
# The linker warns that a static getaddrinfo may need glibc's NSS modules at run time: numeric
# addresses and "localhost" (all the tests use) need none.
gcc -static -O2 -Wall -Wextra -o "$ctx/worker" "$here/worker.c"
strip "$ctx/worker" 2>/dev/null || true
cp "$here/Containerfile" "$ctx/Containerfile"

echo "build.sh: building $tag with ${engine_cli[*]}" >&2
"${engine_cli[@]}" build -q -f "$ctx/Containerfile" -t "$tag" "$ctx" >&2
"${engine_cli[@]}" image inspect --format '{{.Id}}' "$tag"
