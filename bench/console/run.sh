#!/usr/bin/env bash
# Console benchmark (bench/console/bench.mjs): page load to first paint, layout and drawing of a
# 100-state machine and of a 1,000-event execution, and the daemon's CPU with no console, with
# one console open on an idle daemon, and with one watching a 1,000-message queue.
#
#   bash bench/console/run.sh
# Environment: SLUICE_BIN (default build/release/sluice), CHROMIUM_PATH (default /usr/bin/chromium),
# SECONDS_PER_CPU_SAMPLE (default 10). Needs tests/integration's node modules (npm ci there).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SLUICE_BIN="${SLUICE_BIN:-$ROOT/build/release/sluice}"
[[ -x "$SLUICE_BIN" ]] || { echo "run.sh: build Sluice first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
[[ -d "$ROOT/tests/integration/node_modules/puppeteer-core" ]] || (cd "$ROOT/tests/integration" && npm ci --no-audit --no-fund --loglevel=error)

port_file="$(mktemp)"
"$SLUICE_BIN" --port 0 --log-level warn >"$port_file" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$port_file"' EXIT
for _ in $(seq 200); do grep -q listening "$port_file" && break; sleep 0.02; done
url="$(sed -n 's/^listening on //p' "$port_file")"
echo "sluice: $SLUICE_BIN at $url (pid $pid)"
node "$HERE/bench.mjs" "$url" "$pid"
