# Sourced by the examples: finds or starts a container engine, builds the test worker image and
# (if missing) Sluice, then starts Sluice on $port with --time-scale $scale, stopped on exit.
# Expects `root`, `port` and `scale` to be set, and the current directory to be $root.
if [[ -z "${DOCKER_HOST:-}" ]]; then
  line="$(scripts/container-engine.sh | tail -n 1)"
  export "${line?}"
fi
build_log="$(mktemp)"
docker/test-worker/build.sh sluice-test-worker:latest >"$build_log" 2>&1 || { cat "$build_log"; exit 1; }
rm -f "$build_log"
if [[ ! -x build/release/sluice ]]; then
  scripts/install-deps.sh build >/dev/null
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi

log="$(mktemp)"
build/release/sluice --port "$port" --time-scale "$scale" --log-level info 2>"$log" >/dev/null &
sluice_pid=$!
trap 'kill "$sluice_pid" 2>/dev/null; wait "$sluice_pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/_sluice/health" >/dev/null && break; sleep 0.05; done
