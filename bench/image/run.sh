#!/usr/bin/env bash
# What it costs to get Sluice running: the size of the static binary and of its scratch image,
# the time from `run` to the first answered request, and the idle memory of the daemon, in a
# container and as a process. Peers measured in the same run, on the same engine:
#   - the dynamic release build of the same code as a host process (start-up, RSS);
#   - a no-op container (the test worker image, exiting at once): what the engine itself costs
#     to start any container, so "Sluice in a container" reads as engine cost + Sluice's own.
# Images that cannot run here are cited from their publishers in bench/README.md.
#
#   bash bench/image/run.sh        # RUNS=9 container starts
# Environment: RUNS, SLUICE_STATIC_BIN (default build/static/sluice), SLUICE_BIN (default
# build/release/sluice), SLUICE_IMAGE (default sluice:latest; built by scripts/image.sh if
# missing), DOCKER_HOST (scripts/container-engine.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-9}"
STATIC="${SLUICE_STATIC_BIN:-$ROOT/build/static/sluice}"
DYNAMIC="${SLUICE_BIN:-$ROOT/build/release/sluice}"
IMAGE="${SLUICE_IMAGE:-sluice:latest}"
for b in "$STATIC" "$DYNAMIC"; do
  [[ -x "$b" ]] || { echo "run.sh: build $b first (cmake --preset static / release)" >&2; exit 1; }
done
if [[ -z "${DOCKER_HOST:-}" ]]; then
  line="$(bash "$ROOT/scripts/container-engine.sh" | tail -n 1)"
  export "${line?}"
fi
source "$ROOT/scripts/engine-cli.sh"
e() { "${engine_cli[@]}" "$@"; }
e image inspect "$IMAGE" >/dev/null 2>&1 || SLUICE_STATIC_BIN="$STATIC" bash "$ROOT/scripts/image.sh" "$IMAGE" >/dev/null
bash "$ROOT/docker/test-worker/build.sh" sluice-test-worker:latest >/dev/null

mib() { python3 -c "print(f'{$1/1048576:.2f} MiB')"; }
median() { sort -n | python3 -c "import sys; v=[float(x) for x in sys.stdin]; print(f'{v[len(v)//2]:.1f}')"; }
now_ms() { python3 -c 'import time; print(time.monotonic()*1000)'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== size"
libs=$(ldd "$DYNAMIC" | awk '/=>/ {print $3}' | xargs -r stat -L -c %s | python3 -c "import sys; print(sum(int(x) for x in sys.stdin))")
echo "static binary (stripped)        $(mib "$(stat -c %s "$STATIC")")"
echo "release binary (dynamic)        $(mib "$(stat -c %s "$DYNAMIC")") + $(mib "$libs") of shared libraries"
echo "image $IMAGE               $(mib "$(e image inspect --format '{{.Size}}' "$IMAGE")")"

echo "== start-up: process start to first answer (bench/sqs/startup.c, median of $RUNS)"
mkdir -p "$ROOT/bench/sqs/bin"
cc -O2 -Wall -Wextra -o "$ROOT/bench/sqs/bin/startup" "$ROOT/bench/sqs/startup.c"
for pair in "static:$STATIC" "dynamic:$DYNAMIC"; do
  port=$(free_port)
  out=$("$ROOT/bench/sqs/bin/startup" "$RUNS" "$port" /_sluice/health -- "${pair#*:}" --port "$port" --log-level warn)
  printf '%-8s %s\n' "${pair%%:*}" "$(tail -n 1 <<<"$out")"
done

echo "== start-up in a container: \`run\` to first answered request (median of $RUNS)"
sluice_ms=()
noop_ms=()
for _ in $(seq "$RUNS"); do
  port=$(free_port)
  name="sluice-bench-$$-$port"
  t0=$(now_ms)
  e run -d --rm --name "$name" -p "127.0.0.1:$port:4566" "$IMAGE" >/dev/null
  until curl -sf "http://127.0.0.1:$port/_sluice/health" >/dev/null; do sleep 0.002; done
  t1=$(now_ms)
  sluice_ms+=("$(python3 -c "print($t1-$t0)")")
  e rm -f -t 0 "$name" >/dev/null
  # The no-op container's time ends when it has exited; removing it is not counted.
  t0=$(now_ms)
  e run --name "$name-noop" sluice-test-worker:latest >/dev/null
  t1=$(now_ms)
  noop_ms+=("$(python3 -c "print($t1-$t0)")")
  e rm -f "$name-noop" >/dev/null
done
s=$(printf '%s\n' "${sluice_ms[@]}" | median)
n=$(printf '%s\n' "${noop_ms[@]}" | median)
echo "sluice image: run -> first answer   $s ms"
echo "no-op container: run -> exited     $n ms"
python3 -c "print(f'Sluice in a container / a no-op container: {$s/$n:.3f}')"

echo "== idle memory (RSS after start and one request, 1 s idle)"
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
port=$(free_port)
name="sluice-bench-$$-rss"
e run -d --rm --name "$name" -p "127.0.0.1:$port:4566" "$IMAGE" >/dev/null
until curl -sf "http://127.0.0.1:$port/_sluice/health" >/dev/null; do sleep 0.01; done
sleep 1
container_kib=$(rss_of "$(e inspect --format '{{.State.Pid}}' "$name")")
e rm -f -t 0 "$name" >/dev/null
for pair in "static:$STATIC" "dynamic:$DYNAMIC"; do
  port=$(free_port)
  "${pair#*:}" --port "$port" --log-level warn >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/_sluice/health" >/dev/null; do sleep 0.01; done
  sleep 1
  declare "${pair%%:*}_kib=$(rss_of $pid)"
  kill $pid
  wait $pid 2>/dev/null || true
done
echo "in its container  $(mib $((container_kib * 1024)))"
echo "static, on host   $(mib $((static_kib * 1024)))"
echo "dynamic, on host  $(mib $((dynamic_kib * 1024)))"
python3 -c "print(f'container / dynamic build on the host: {$container_kib/$dynamic_kib:.3f}')"
