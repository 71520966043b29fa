#!/usr/bin/env bash
# Builds the Sluice test worker image: compiles worker.c statically and copies it into a
# FROM-scratch image, so nothing is pulled. Safe to run again; prints the image id last.
#   docker/test-worker/build.sh [tag]        (default sluice-test-worker:latest)
# The engine: podman when DOCKER_HOST is a podman service (the image is built through that
# service, so it lands where the tests look), when docker is absent or when docker's daemon does
# not answer; docker otherwise. podman names the image localhost/<tag>; the Docker API of a
# podman service resolves the bare <tag> to it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tag="${1:-sluice-test-worker:latest}"

# Succeeds when DOCKER_HOST is a unix socket served by podman (its /version names the engine).
docker_host_is_podman() {
  [[ "${DOCKER_HOST:-}" == unix://* ]] || return 1
  curl -sf --max-time 5 --unix-socket "${DOCKER_HOST#unix://}" http://d/version 2>/dev/null |
    grep -q Podman
}

cli=()
if command -v podman >/dev/null && docker_host_is_podman; then
  cli=(podman --remote --url "$DOCKER_HOST")
elif command -v docker >/dev/null && docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  cli=(docker)
elif command -v podman >/dev/null; then
  cli=(podman)
else
  echo "build.sh: no container engine answers (scripts/container-engine.sh sets podman up)" >&2
  exit 1
fi

ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
# The linker warns that a static getaddrinfo may need glibc's NSS modules at run time: numeric
# addresses and "localhost" (all the tests use) need none.
gcc -static -O2 -Wall -Wextra -o "$ctx/worker" "$here/worker.c"
strip "$ctx/worker" 2>/dev/null || true
cp "$here/Containerfile" "$ctx/Containerfile"

echo "build.sh: building $tag with ${cli[*]}" >&2
"${cli[@]}" build -q -f "$ctx/Containerfile" -t "$tag" "$ctx" >&2
"${cli[@]}" image inspect --format '{{.Id}}' "$tag"
