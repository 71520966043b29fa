# Sourced by the scripts that build images: sets the array `engine_cli` to the command that talks
# to the container engine the tests use, or fails.
#   source "$(dirname "$0")/../scripts/engine-cli.sh"; "${engine_cli[@]}" build ...
# podman when DOCKER_HOST is a podman service (the image is built through that service, so it
# lands where Sluice looks), when docker is absent or when docker's daemon does not answer;
# docker otherwise. podman names an image localhost/<tag>; the Docker API of a podman service
# resolves the bare <tag> to it.

# Succeeds when DOCKER_HOST is a unix socket served by podman (its /version names the engine).
docker_host_is_podman() {
  [[ "${DOCKER_HOST:-}" == unix://* ]] || return 1
  curl -sf --max-time 5 --unix-socket "${DOCKER_HOST#unix://}" http://d/version 2>/dev/null |
    grep -q Podman
}

engine_cli=()
if command -v podman >/dev/null && docker_host_is_podman; then
  engine_cli=(podman --remote --url "$DOCKER_HOST")
elif command -v docker >/dev/null && docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  engine_cli=(docker)
elif command -v podman >/dev/null; then
  engine_cli=(podman)
else
  echo "engine-cli: no container engine answers (scripts/container-engine.sh sets podman up)" >&2
  return 1
fi

# The build flags that keep a Dockerfile's HEALTHCHECK: podman writes OCI images by default,
# and the OCI image format has no health check.
engine_build_flags=()
[[ "${engine_cli[0]}" == podman ]] && engine_build_flags=(--format docker)
