#!/usr/bin/env bash
# Makes a Docker-compatible container engine available (for the Step Functions container tests)
# and prints "DOCKER_HOST=<url>" as its last line on stdout; everything else goes to stderr.
#   eval "$(scripts/container-engine.sh | tail -n 1 | sed 's/^/export /')"
# In order: reuses DOCKER_HOST when it answers, then /var/run/docker.sock; otherwise installs
# podman from Debian's packages if missing and runs its Docker API service on
# unix:///run/sluice-podman.sock (log: /tmp/sluice-podman.log), started in the background.
# SLUICE_PODMAN_SOCKET and SLUICE_PODMAN_LOG override those two paths.
set -euo pipefail

sock="${SLUICE_PODMAN_SOCKET:-/run/sluice-podman.sock}"
log="${SLUICE_PODMAN_LOG:-/tmp/sluice-podman.log}"
conf=/etc/containers/containers.conf

say() { echo "container-engine: $*" >&2; }

sudo=""
[[ $(id -u) -eq 0 ]] || sudo=sudo

# Succeeds when the Docker API at this DOCKER_HOST-style URL (unix:// or tcp://) answers /_ping.
answers() {
  local url="$1"
  case "$url" in
    unix://*) [[ -S "${url#unix://}" ]] &&
                curl -sf --max-time 3 --unix-socket "${url#unix://}" http://d/_ping >/dev/null 2>&1 ;;
    tcp://*) curl -sf --max-time 3 "http://${url#tcp://}/_ping" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

found() {
  say "using $1"
  echo "DOCKER_HOST=$1"
  exit 0
}

# Installs those of the Debian packages given that are missing.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  say "installing ${missing[*]}"
  $sudo apt-get update -q >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

# Not --no-install-recommends: without recommends apt satisfies podman's network stack with the
# CNI plugins instead of netavark and leaves out catatonit (`--init` fails), and iptables is only
# a Suggests of podman though netavark's bridge network cannot start without it. So those are
# named, and recommends are let in.
install_podman() {
  apt_install podman runc netavark aardvark-dns catatonit iptables curl
}

# Run as root, podman raises RLIMIT_NOFILE to 1048576 in every container unless containers.conf
# sets default_ulimits, and runc then fails ("error setting rlimit type 7: operation not
# permitted") wherever podman itself runs under a lower hard limit, as in many sandboxes. An
# empty list keeps the engine's own limits. Added only when no default_ulimits is there; the
# rest of the file is kept.
ensure_containers_conf() {
  if [[ -f "$conf" ]] && grep -Eq '^[[:space:]]*default_ulimits[[:space:]]*=' "$conf"; then
    return 0
  fi
  local tmp
  tmp="$(mktemp)"
  if [[ ! -f "$conf" ]]; then
    printf '[containers]\ndefault_ulimits = []\n' >"$tmp"
  elif grep -Eq '^[[:space:]]*\[containers\][[:space:]]*(#.*)?$' "$conf"; then
    # Right under the existing [containers] header, so it lands in that table.
    awk '{ print } !done && /^[[:space:]]*\[containers\][[:space:]]*(#.*)?$/ {
           print "default_ulimits = []"; done = 1 }' "$conf" >"$tmp"
  else
    { cat "$conf"; printf '\n[containers]\ndefault_ulimits = []\n'; } >"$tmp"
  fi
  say "setting default_ulimits = [] in $conf"
  $sudo mkdir -p "$(dirname "$conf")"
  $sudo tee "$conf" <"$tmp" >/dev/null
  rm -f "$tmp"
}

start_service() {
  command -v flock >/dev/null && { exec 9>"/tmp/sluice-podman.lock"; flock -w 30 9 || true; }
  answers "unix://$sock" && return 0 # another run started it while this one waited
  if [[ -e "$sock" ]]; then
    say "removing the stale socket $sock"
    $sudo rm -f "$sock"
  fi
  say "starting podman system service on unix://$sock (log: $log)"
  # setsid: the service outlives this script and whatever process group ran it.
  nohup $sudo setsid podman --runtime runc system service --time=0 "unix://$sock" \
    </dev/null >"$log" 2>&1 9>&- &
  local i
  for ((i = 0; i < 40; i++)); do
    # Not root: the socket is root's; hand it to the user who asked for it (a sudoer anyway).
    [[ -z "$sudo" || ! -S "$sock" || -O "$sock" ]] || $sudo chown "$(id -u):$(id -g)" "$sock"
    answers "unix://$sock" && return 0
    sleep 0.5
  done
  say "podman system service did not answer on $sock within 20 s; its log:"
  tail -n 20 "$log" >&2 || true
  return 1
}

if [[ -n "${DOCKER_HOST:-}" ]]; then
  if answers "$DOCKER_HOST"; then found "$DOCKER_HOST"; fi
  say "DOCKER_HOST=$DOCKER_HOST does not answer; looking further"
fi
command -v curl >/dev/null || apt_install curl # to ask any engine anything
if answers unix:///var/run/docker.sock; then found unix:///var/run/docker.sock; fi

install_podman
ensure_containers_conf
answers "unix://$sock" || start_service || exit 1
found "unix://$sock"
