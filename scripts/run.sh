#!/usr/bin/env bash
# Quick start: installs what is missing, builds an optimised Sluice and runs it on
# 127.0.0.1:4566. Flags go to sluice: scripts/run.sh --port 4567 --time-scale 0.01
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/sluice "$@"
