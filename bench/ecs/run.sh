#!/usr/bin/env bash
# ECS benchmark: 50 concurrent RunTask → container RUNNING through Sluice, against the engine's
# own create+start of the same image, measured in the same run (see bench/ecs/bench.py).
#
#   bash bench/ecs/run.sh                 # 50 tasks, 5 rounds (~1-2 min)
#   TASKS=20 ROUNDS=3 bash bench/ecs/run.sh
# Environment: SLUICE_BIN (default build/release/sluice), DOCKER_HOST (default: what
# scripts/container-engine.sh sets up), PYTHON.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"
[[ -x "$SLUICE_BIN" ]] || { echo "run.sh: build Sluice first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
if [[ -z "${DOCKER_HOST:-}" ]]; then
  line="$("$ROOT/scripts/container-engine.sh" | tail -n 1)"
  export "${line?}"
fi
IMAGE=sluice-test-worker:latest
"$ROOT/docker/test-worker/build.sh" "$IMAGE" >/dev/null 2>&1

port_file="$(mktemp)"
"$SLUICE_BIN" --port 0 --log-level warn >"$port_file" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$port_file"' EXIT
for _ in $(seq 200); do grep -q listening "$port_file" && break; sleep 0.02; done
url="$(sed -n 's/^listening on //p' "$port_file")"
echo "engine: $DOCKER_HOST ($(curl -s --unix-socket "${DOCKER_HOST#unix://}" http://d/version | "$PYTHON" -c 'import json,sys; v=json.load(sys.stdin); print(v["Components"][0]["Name"], v["Version"])' 2>/dev/null || echo '?'))"
echo "sluice: $SLUICE_BIN at $url"
"$PYTHON" "$HERE/bench.py" "$url" "$DOCKER_HOST" "$IMAGE" --tasks "${TASKS:-50}" --rounds "${ROUNDS:-5}"
