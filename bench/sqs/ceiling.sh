#!/usr/bin/env bash
# The ceiling of the raw SendMessage figures on this machine, in one run: wrk against Sluice and
# against bench/sqs/null-http.c, a server that answers every request with a canned SendMessage
# answer and does nothing else. The null server's figure is what the kernel's loopback path and
# wrk leave for any server here; Sluice's share of it, and its CPU per request, are printed.
#
#   bash bench/sqs/ceiling.sh          # 10 s per figure after a 2 s warm-up, same wrk load as run.sh
# Environment: SLUICE_BIN (default build/release/sluice), WRK_SECONDS, WRK_THREADS, WRK_CONNS, CC.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"
secs="${WRK_SECONDS:-10}" threads="${WRK_THREADS:-2}" conns="${WRK_CONNS:-32}"
command -v wrk >/dev/null || { echo "ceiling.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
[[ -x "$SLUICE_BIN" ]] || { echo "ceiling.sh: build Sluice first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
mkdir -p "$HERE/bin"
if [[ ! -x "$HERE/bin/null-http" || "$HERE/null-http.c" -nt "$HERE/bin/null-http" ]]; then
  "${CC:-cc}" -O2 -Wall -Wextra -pthread -o "$HERE/bin/null-http" "$HERE/null-http.c"
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() {  # name port cmd... ; waits for the "listening" line
  local out; out="$(mktemp)"
  "${@:3}" >"$out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 200); do grep -q listening "$out" && return 0; sleep 0.02; done
  echo "ceiling.sh: $1 did not start" >&2; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

sport=$(free_port); start sluice "$sport" "$SLUICE_BIN" --port "$sport" --log-level warn; spid=${pids[-1]}
nport=$(free_port); start null "$nport" "$HERE/bin/null-http" "$nport"; npid=${pids[-1]}
auth='AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0'
curl -sf -X POST "http://127.0.0.1:$sport/" -H 'Content-Type: application/x-amz-json-1.0' \
  -H 'X-Amz-Target: AmazonSQS.CreateQueue' -H "Authorization: $auth" -d '{"QueueName":"ceiling"}' >/dev/null
queue="http://127.0.0.1:$sport/000000000000/ceiling"

measure() {  # label port pid script -> "req/s cpu_us_per_req"
  QUEUE_URL="$queue" wrk -t"$threads" -c"$conns" -d2s -s "$HERE/wrk/$4" "http://127.0.0.1:$2/" >/dev/null
  local before after out
  before=$(cpu_ticks "$3")
  out=$(QUEUE_URL="$queue" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "$HERE/wrk/$4" "http://127.0.0.1:$2/")
  after=$(cpu_ticks "$3")
  local reqs; reqs=$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$out")
  local status; status=$(sed -n 's/.*"status_errors":\([0-9]*\).*/\1/p' <<<"$out")
  [[ "$status" == 0 ]] || echo "ceiling.sh: $1 answered $status requests with an HTTP error" >&2
  python3 -c "r=$reqs/$secs; print(f'{r:.0f} {($after-$before)/$hz/$reqs*1e6:.1f}')"
}

printf '%-34s %12s %18s\n' "raw SendMessage, wrk -t$threads -c$conns" "req/s" "server CPU/req µs"
read -r n_json n_json_cpu <<<"$(measure null "$nport" "$npid" send_json.lua)"
read -r s_json s_json_cpu <<<"$(measure sluice "$sport" "$spid" send_json.lua)"
read -r s_query s_query_cpu <<<"$(measure sluice "$sport" "$spid" send_query.lua)"
printf '%-34s %12s %18s\n' "null server (canned answer)" "$n_json" "$n_json_cpu" "Sluice, JSON" "$s_json" "$s_json_cpu" \
  "Sluice, query" "$s_query" "$s_query_cpu"
python3 -c "print(f'Sluice / null server: JSON {$s_json/$n_json:.2f}, query {$s_query/$n_json:.2f}')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
