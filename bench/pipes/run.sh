#!/usr/bin/env bash
# Pipes benchmark (see bench/pipes/bench.py): latency from SendMessage to StartExecution on an
# idle pipe, and throughput of N messages through a pipe (BatchSize 10) to an EXPRESS state
# machine with a Pass state, each against a hand-written boto3 consumer doing the same work
# (receive, start the execution, delete) on the same daemon in the same run.
#
#   bash bench/pipes/run.sh                      # 200 latency samples, 100,000 messages
#   SAMPLES=50 MESSAGES=20000 bash bench/pipes/run.sh
# Environment: SLUICE_BIN (default build/release/sluice), PYTHON.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"
[[ -x "$SLUICE_BIN" ]] || { echo "run.sh: build Sluice first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }

port_file="$(mktemp)"
"$SLUICE_BIN" --port 0 --log-level warn >"$port_file" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$port_file"' EXIT
for _ in $(seq 200); do grep -q listening "$port_file" && break; sleep 0.02; done
url="$(sed -n 's/^listening on //p' "$port_file")"
echo "sluice: $SLUICE_BIN at $url (pid $pid)"
"$PYTHON" "$HERE/bench.py" "$url" "$pid" --samples "${SAMPLES:-200}" --messages "${MESSAGES:-100000}"
