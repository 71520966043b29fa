#!/usr/bin/env bash
# Step Functions benchmark: Sluice alone (no Step Functions emulator that runs here executes more
# than one state machine per process), through the API with boto3 plus a small raw-HTTP client
# for the latency figures.
#
#   bash bench/sfn/run.sh            # full run (~2 min on 2 cores)
#   bash bench/sfn/run.sh --quick    # smoke run (~45 s)
#   bash bench/sfn/run.sh --perf     # also `perf record` the daemon during each figure (+ a few min)
#   bash bench/sfn/run.sh --only transitions,latency,memory
#
# Environment (all optional):
#   SLUICE_BIN      Sluice binary (default build/release/sluice in this checkout)
#   PYTHON          python3 with boto3 (default: python3 on PATH)
#   CC              C compiler for bench/sfn/rawlat.c (default cc); without one, boto3 figures only
#   CHAIN_REPS MAP_REPS SYNC_REPS LATENCY_CALLS RAW_CALLS WAIT_EXECUTIONS
# See bench/sfn/README.md for what each figure means.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import boto3' 2>/dev/null || { echo "run.sh: $PYTHON has no boto3 (pip install boto3)" >&2; exit 1; }

# The raw-HTTP latency client, rebuilt when its source changes.
CC="${CC:-cc}"
RAWLAT_BIN=""
if command -v "$CC" >/dev/null 2>&1; then
  mkdir -p "$HERE/bin"
  if [[ ! -x "$HERE/bin/rawlat" || "$HERE/rawlat.c" -nt "$HERE/bin/rawlat" ]]; then
    "$CC" -O2 -Wall -Wextra -o "$HERE/bin/rawlat" "$HERE/rawlat.c" >&2
  fi
  RAWLAT_BIN="$HERE/bin/rawlat"
else
  echo "run.sh: no C compiler ($CC): the raw-client latency figures are skipped" >&2
fi
export RAWLAT_BIN
export SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"

# The whole run is bounded: 20 minutes is far above the expected ~2 (~6 with --perf).
exec timeout --signal=INT --kill-after=30 1200 "$PYTHON" "$HERE/bench.py" "$@"
