#!/usr/bin/env bash
# Installs what Sluice needs from Debian's packages: `build` (default) to build it, `test` to run
# every test as well. Packages already there are left alone, so a ready machine stays offline.
set -euo pipefail
mode="${1:-build}"

packages=(cmake ninja-build g++ pkg-config libboost1.81-dev nlohmann-json3-dev libspdlog-dev zlib1g-dev)
if [[ "$mode" == test ]]; then
  # catch2: unit tests; clang + libclang-rt-14-dev: libFuzzer; awscli: AWS CLI v2 (query protocol);
  # clang-format-14 and clang-tidy-14: scripts/format.sh --check and scripts/tidy.sh
  # chromium: the console's browser tests (driven by puppeteer-core from tests/integration)
  packages+=(catch2 clang libclang-rt-14-dev clang-format-14 clang-tidy-14 awscli curl chromium)
  command -v node >/dev/null || packages+=(nodejs npm)
  command -v python3 >/dev/null || packages+=(python3)
  python3 -c 'import boto3' 2>/dev/null || packages+=(python3-boto3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
