#!/bin/sh
# Debian packages the simulation and the integration tests use. Installs the missing ones when run as
# root (CI, a fresh container), otherwise says which are missing and how to get them; never fails.
#   mosquitto  — interoperability tests with a real Mosquitto 2 broker
#   socat      — pseudo-terminal pairs for serial nodes (simulation and tests)
#   chromium   — end-to-end UI tests (driven by playwright-core)
#   debootstrap, systemd — the Pi install test in an isolated bookworm root; unit verification
#   fonts-dejavu-core — a system font for Chromium screenshots
# `packages.sh start` (npm start) checks only what the simulation needs: socat.
missing=""
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have socat || missing="$missing socat"
if [ "${1:-}" != start ]; then
  have mosquitto || missing="$missing mosquitto mosquitto-clients"
  have chromium || missing="$missing chromium"
  have debootstrap || missing="$missing debootstrap"
  have systemd-analyze || missing="$missing systemd"
  [ -d /usr/share/fonts/truetype/dejavu ] || missing="$missing fonts-dejavu-core"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "noodsteun: installing Debian packages:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
    || echo "noodsteun: could not install:$missing — what needs them will say so and skip"
else
  echo "noodsteun: not installed:$missing — what needs them will say so and skip (sudo apt-get install$missing)"
fi
exit 0
