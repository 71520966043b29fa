#!/usr/bin/env bash
# SNS fan-out benchmark (bench/sns/bench.py): Publish -> 10 SQS subscriptions, Sluice then moto
# (moto_server, which serves both services), one server at a time on this machine.
#
#   bash bench/sns/run.sh                        # 2000 messages from 4 threads
#   MESSAGES=500 THREADS=2 bash bench/sns/run.sh
# Environment: SLUICE_BIN (default build/release/sluice), PYTHON.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"
[[ -x "$SLUICE_BIN" ]] || { echo "run.sh: build Sluice first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
args=(--messages "${MESSAGES:-2000}" --threads "${THREADS:-4}")

port_file="$(mktemp)"
"$SLUICE_BIN" --port 0 --log-level warn >"$port_file" 2>/dev/null &
pid=$!
for _ in $(seq 200); do grep -q listening "$port_file" && break; sleep 0.02; done
url="$(sed -n 's/^listening on //p' "$port_file")"
echo "sluice ($SLUICE_BIN):"
"$PYTHON" "$HERE/bench.py" "$url" "$pid" "${args[@]}"
kill "$pid"; wait "$pid" 2>/dev/null || true
rm -f "$port_file"

# moto_server behind the pyenv shim: the real console script, so pyenv's start-up is not counted.
moto="$("$PYTHON" -c 'import shutil,sys,os; p=os.path.join(os.path.dirname(sys.executable),"moto_server"); print(p if os.path.exists(p) else shutil.which("moto_server") or "")')"
[[ -n "$moto" ]] || { echo "moto_server not found: moto's figure skipped"; exit 0; }
port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$moto" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" && break; sleep 0.05; done
echo "moto ($("$PYTHON" -c 'import moto; print(moto.__version__)')):"
"$PYTHON" "$HERE/bench.py" "http://127.0.0.1:$port" "$pid" "${args[@]}"
