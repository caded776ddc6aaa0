#!/bin/bash
# Installs the noodsteun gateway on a Raspberry Pi (Raspberry Pi OS Bookworm, arm64), or any Debian
# bookworm root. Idempotent: every step compares before it writes, so a second run changes nothing and
# prints only "ok" lines. Run as root ON THE PI (or inside a test root), never on a development machine.
#
#   sudo ./install.sh                       # defaults below
#   sudo NODE_TARBALL=/tmp/node-v20.20.2-linux-arm64.tar.xz HOTSPOT_SSID="Noodsteunpunt De Linde" ./install.sh
#
# Every setting is an environment variable; see edge-gateway/deploy/README.md.
set -euo pipefail
umask 022

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

RELEASE_DIR=${RELEASE_DIR:-$(cd "$here/../.." && pwd)}     # tree with package.json, edge-gateway/, hardware/, node_modules/
APP_DIR=${APP_DIR:-/opt/noodsteun}
ETC_DIR=${ETC_DIR:-/etc/noodsteun}
STATE_DIR=${STATE_DIR:-/var/lib/noodsteun}
SERVICE_USER=${SERVICE_USER:-noodsteun}
SERVICE_GROUPS=${SERVICE_GROUPS:-dialout spi gpio}
UNIT_NAME=${UNIT_NAME:-noodsteun-gateway.service}
SYSTEMD_DIR=${SYSTEMD_DIR:-/etc/systemd/system}
BOOT_DIR=${BOOT_DIR:-/boot/firmware}                      # Bookworm moved config.txt/cmdline.txt here
NODE_MIN_MAJOR=${NODE_MIN_MAJOR:-20}
NODE_TARBALL=${NODE_TARBALL:-}                            # official nodejs.org linux-arm64 .tar.xz, checked by you
NODE_PREFIX=${NODE_PREFIX:-/opt/nodejs}
APT_PACKAGES=${APT_PACKAGES:-hostapd dnsmasq iproute2}
OFFLINE=${OFFLINE:-0}                                     # 1: never call apt-get; fail if a package is missing
HOTSPOT=${HOTSPOT:-hostapd}                               # hostapd | networkmanager | none
HOTSPOT_IFACE=${HOTSPOT_IFACE:-wlan0}
HOTSPOT_SSID=${HOTSPOT_SSID:-Noodsteunpunt}
HOTSPOT_COUNTRY=${HOTSPOT_COUNTRY:-NL}
HOTSPOT_CHANNEL=${HOTSPOT_CHANNEL:-6}
HOTSPOT_ADDR=${HOTSPOT_ADDR:-10.42.0.1}                   # /24; residents' phones get .20–.250
UART_DISABLE_BT=${UART_DISABLE_BT:-1}                     # give the PL011 UART to the LoRa module
JOURNAL_MAX=${JOURNAL_MAX:-32M}
READONLY_ROOT=${READONLY_ROOT:-0}                         # 1: overlay root; needs DATA_DEVICE for the state
DATA_DEVICE=${DATA_DEVICE:-}                              # e.g. LABEL=noodsteun-data (ext4), mounted on STATE_DIR
START_SERVICE=${START_SERVICE:-1}

log() { printf '%-8s %s\n' "$1" "$2"; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}
changed=0
mark() {
  changed=$((changed + 1))
  log changed "$1"
}

[ "$(id -u)" -eq 0 ] || die "run as root (sudo)"
# shellcheck source=/dev/null
. /etc/os-release 2>/dev/null || die "no /etc/os-release: not a Debian system"
[ "${VERSION_CODENAME:-}" = bookworm ] || log warn "tested on bookworm, this is ${VERSION_CODENAME:-unknown}"
case "$HOTSPOT" in hostapd | networkmanager | none) ;; *) die "HOTSPOT must be hostapd, networkmanager or none" ;; esac
[ -f "$RELEASE_DIR/edge-gateway/bin/noodsteun.js" ] || die "RELEASE_DIR=$RELEASE_DIR holds no edge-gateway/bin/noodsteun.js"
in_chroot=0
if command -v systemd-detect-virt >/dev/null && systemd-detect-virt --quiet --chroot; then in_chroot=1; fi
[ -d /run/systemd/system ] || in_chroot=1 # systemd is not running: only offline systemctl verbs work

# put_file <mode> <owner:group> <dest> : writes stdin to dest when content, mode or owner differ.
put_file() {
  local mode=$1 owner=$2 dest=$3 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest" && [ "$(stat -c '%a %U:%G' "$dest")" = "${mode#0} $owner" ]; then
    rm -f "$tmp"
    log ok "$dest"
    return 1
  fi
  install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$tmp" "$dest"
  rm -f "$tmp"
  mark "$dest"
}

# render <template> : replaces @VAR@ with the variable's value.
render() {
  sed -e "s|@HOTSPOT_IFACE@|$HOTSPOT_IFACE|g" -e "s|@HOTSPOT_SSID@|$HOTSPOT_SSID|g" \
    -e "s|@HOTSPOT_COUNTRY@|$HOTSPOT_COUNTRY|g" -e "s|@HOTSPOT_CHANNEL@|$HOTSPOT_CHANNEL|g" \
    -e "s|@HOTSPOT_ADDR@|$HOTSPOT_ADDR|g" -e "s|@HOTSPOT_NET@|${HOTSPOT_ADDR%.*}|g" "$1"
}

# ensure_line <file> <line> : appends the line when missing.
ensure_line() {
  if grep -qxF "$2" "$1"; then
    log ok "$1: $2"
  else
    printf '%s\n' "$2" >>"$1"
    mark "$1: $2"
  fi
}

# --- 1. Debian packages ---------------------------------------------------------------------------
missing=()
for p in $APT_PACKAGES; do
  [ "$p" = hostapd ] && [ "$HOTSPOT" != hostapd ] && continue
  [ "$p" = dnsmasq ] && [ "$HOTSPOT" != hostapd ] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  log ok "packages: $APT_PACKAGES"
else
  [ "$OFFLINE" = 1 ] && die "OFFLINE=1 but packages are missing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  mark "packages: ${missing[*]}"
fi

# --- 2. Node.js -----------------------------------------------------------------------------------
# Debian bookworm ships Node 18; the gateway needs >= NODE_MIN_MAJOR. Nothing is downloaded here: give
# the official tarball (checked against nodejs.org SHASUMS256.txt) or install Node before running.
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
node_bin=$(command -v node || true)
if [ -n "$node_bin" ] && [ "$(node_major "$node_bin")" -ge "$NODE_MIN_MAJOR" ]; then
  log ok "node $("$node_bin" --version) at $node_bin"
elif [ -n "$NODE_TARBALL" ]; then
  [ -f "$NODE_TARBALL" ] || die "NODE_TARBALL=$NODE_TARBALL does not exist"
  name=$(basename "$NODE_TARBALL" | sed -E 's/\.tar(\.(xz|gz))?$//')
  mkdir -p "$NODE_PREFIX"
  tar -C "$NODE_PREFIX" -xf "$NODE_TARBALL"
  [ -x "$NODE_PREFIX/$name/bin/node" ] || die "$NODE_TARBALL has no $name/bin/node"
  for b in node npm npx; do [ -e "$NODE_PREFIX/$name/bin/$b" ] && ln -sfn "$NODE_PREFIX/$name/bin/$b" "/usr/local/bin/$b"; done
  node_bin=/usr/local/bin/node
  [ "$(node_major "$node_bin")" -ge "$NODE_MIN_MAJOR" ] || die "$NODE_TARBALL holds Node $("$node_bin" --version), need >= $NODE_MIN_MAJOR"
  mark "node $("$node_bin" --version) from $NODE_TARBALL"
else
  die "Node.js >= $NODE_MIN_MAJOR not found: set NODE_TARBALL to node-v20.x-linux-arm64.tar.xz from nodejs.org"
fi

# --- 3. Service user and groups -------------------------------------------------------------------
for g in $SERVICE_GROUPS; do
  if getent group "$g" >/dev/null; then log ok "group $g"; else
    groupadd --system "$g"
    mark "group $g"
  fi
done
if id "$SERVICE_USER" >/dev/null 2>&1; then log ok "user $SERVICE_USER"; else
  useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
  mark "user $SERVICE_USER"
fi
for g in $SERVICE_GROUPS; do
  if id -nG "$SERVICE_USER" | tr ' ' '\n' | grep -qxF "$g"; then log ok "$SERVICE_USER in $g"; else
    usermod -aG "$g" "$SERVICE_USER"
    mark "$SERVICE_USER in $g"
  fi
done

# --- 4. Application files -------------------------------------------------------------------------
# The release tree is copied as a whole when its content hash differs from the installed one.
# Tests, local data and caches stay behind; symlinks (node_modules/.bin, workspace links) are kept as links.
release_find() {
  find . \( -name .git -o -path ./data -o -path ./node_modules/.cache -o -path ./edge-gateway/test -o -path ./hardware/test \
    -o -path ./firmware/test -o -path ./kiosk-ui/test \) -prune -o "$@"
}
release_files() { (cd "$RELEASE_DIR" && release_find \( -type f -o -type l \) -print | LC_ALL=C sort); }
release_hash=$(
  cd "$RELEASE_DIR"
  { release_find -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum; release_find -type l -printf '%p -> %l\n' | LC_ALL=C sort; } |
    sha256sum | cut -d' ' -f1
)
if [ -f "$APP_DIR/.release-sha256" ] && [ "$(cat "$APP_DIR/.release-sha256")" = "$release_hash" ]; then
  log ok "$APP_DIR (release $release_hash)"
else
  staging="$APP_DIR.new"
  rm -rf "$staging"
  mkdir -p "$staging"
  (cd "$RELEASE_DIR" && release_files | tar --no-recursion -cf - -T -) | tar -C "$staging" -xf - --no-same-owner
  printf '%s\n' "$release_hash" >"$staging/.release-sha256"
  chown -R root:root "$staging"
  chmod -R go-w "$staging"
  rm -rf "$APP_DIR.old"
  [ -d "$APP_DIR" ] && mv "$APP_DIR" "$APP_DIR.old"
  mv "$staging" "$APP_DIR"
  rm -rf "$APP_DIR.old"
  mark "$APP_DIR (release $release_hash)"
fi

# --- 5. Configuration and secrets -----------------------------------------------------------------
# No default passwords: secrets are made here, once, from the kernel's random source.
# Configuration is root's and readable by the service; the state directory is the service's own.
for d in "$ETC_DIR 750 root:$SERVICE_USER" "$ETC_DIR/secrets 750 root:$SERVICE_USER" "$STATE_DIR 750 $SERVICE_USER:$SERVICE_USER"; do
  read -r path mode owner <<<"$d"
  if [ -d "$path" ] && [ "$(stat -c '%a %U:%G' "$path")" = "$mode $owner" ]; then log ok "$path/"; else
    install -d -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$path"
    mark "$path/"
  fi
done
if [ -f "$ETC_DIR/gateway.json" ]; then log ok "$ETC_DIR/gateway.json (kept)"; else
  install -m 0640 -o root -g "$SERVICE_USER" "$RELEASE_DIR/edge-gateway/config/example.point.json" "$ETC_DIR/gateway.json"
  mark "$ETC_DIR/gateway.json (from the example: edit id, name and coordinator)"
fi
random_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
for s in technician.password:18 session.key:32; do
  f="$ETC_DIR/secrets/${s%:*}"
  if [ -s "$f" ]; then log ok "$f (kept)"; else
    (umask 027 && random_hex "${s##*:}" >"$f")
    chown root:"$SERVICE_USER" "$f"
    chmod 0640 "$f"
    mark "$f (generated)"
  fi
done

# --- 6. Boot configuration: SPI for the e-ink panel, UART for the LoRa module ---------------------
# config.txt lines below a conditional section ([pi4], [cm5] …) apply to that model only: add under [all].
config_txt() {
  local f="$BOOT_DIR/config.txt" last
  if grep -qxF "$1" "$f"; then log ok "$f: $1"; return; fi
  last=$(grep -E '^\[.*\]' "$f" | tail -n 1 || true)
  if [ -n "$last" ] && [ "$last" != "[all]" ]; then printf '[all]\n' >>"$f"; fi
  printf '%s\n' "$1" >>"$f"
  mark "$f: $1"
}
if [ -f "$BOOT_DIR/config.txt" ]; then
  config_txt "dtparam=spi=on"
  config_txt "enable_uart=1"
  if [ "$UART_DISABLE_BT" = 1 ]; then config_txt "dtoverlay=disable-bt"; fi
else
  log skip "$BOOT_DIR/config.txt not found (not a Raspberry Pi): SPI/UART left alone"
fi
if [ -f "$BOOT_DIR/cmdline.txt" ]; then
  # The serial console would talk over the LoRa module's UART.
  if grep -qE 'console=(serial0|ttyAMA0|ttyS0),[0-9]+' "$BOOT_DIR/cmdline.txt"; then
    sed -i -E 's/console=(serial0|ttyAMA0|ttyS0),[0-9]+ ?//g' "$BOOT_DIR/cmdline.txt"
    mark "$BOOT_DIR/cmdline.txt: serial console removed"
  else log ok "$BOOT_DIR/cmdline.txt: no serial console"; fi
fi

# --- 7. Logs in RAM, no swap on the SD card -------------------------------------------------------
put_file 0644 root:root /etc/systemd/journald.conf.d/noodsteun.conf < <(
  printf '[Journal]\n# noodsteun: keep logs in RAM, the SD card wears and corrupts on power loss.\nStorage=volatile\nRuntimeMaxUse=%s\nForwardToSyslog=no\n' "$JOURNAL_MAX"
) || true
for unit in dphys-swapfile.service rsyslog.service; do
  if [ -f "/lib/systemd/system/$unit" ] && systemctl is-enabled --quiet "$unit" 2>/dev/null; then
    systemctl disable "$unit" >/dev/null 2>&1
    mark "disabled $unit"
  fi
done

# --- 8. Resident hotspot with captive portal ------------------------------------------------------
case "$HOTSPOT" in
  hostapd)
    put_file 0600 root:root "/etc/hostapd/$HOTSPOT_IFACE.conf" < <(render "$here/hotspot/hostapd.conf") || true
    put_file 0644 root:root /etc/dnsmasq.d/noodsteun-hotspot.conf < <(render "$here/hotspot/dnsmasq-noodsteun.conf") || true
    put_file 0644 root:root "$SYSTEMD_DIR/noodsteun-hotspot-addr.service" < <(render "$here/hotspot/noodsteun-hotspot-addr.service") || true
    put_file 0644 root:root /etc/NetworkManager/conf.d/noodsteun-hotspot.conf < <(render "$here/hotspot/networkmanager-unmanaged.conf") || true
    hotspot_units="noodsteun-hotspot-addr.service hostapd@$HOTSPOT_IFACE.service dnsmasq.service"
    ;;
  networkmanager)
    put_file 0600 root:root /etc/NetworkManager/system-connections/noodsteun-hotspot.nmconnection < <(render "$here/hotspot/noodsteun-hotspot.nmconnection") || true
    put_file 0644 root:root /etc/NetworkManager/dnsmasq-shared.d/noodsteun-captive.conf < <(render "$here/hotspot/networkmanager-captive.conf") || true
    hotspot_units=""
    ;;
  none) hotspot_units="" ;;
esac
# Switching away from hostapd: its units and files would fight NetworkManager for the interface.
if [ "$HOTSPOT" != hostapd ]; then
  for u in noodsteun-hotspot-addr.service "hostapd@$HOTSPOT_IFACE.service"; do
    if systemctl is-enabled --quiet "$u" 2>/dev/null; then
      systemctl disable "$u" >/dev/null 2>&1
      mark "disabled $u"
    fi
  done
  for f in /etc/NetworkManager/conf.d/noodsteun-hotspot.conf /etc/dnsmasq.d/noodsteun-hotspot.conf; do
    if [ -e "$f" ]; then
      rm -f "$f"
      mark "removed $f"
    fi
  done
fi

# --- 9. Read-only root (optional) -----------------------------------------------------------------
if [ "$READONLY_ROOT" = 1 ]; then
  [ -n "$DATA_DEVICE" ] || die "READONLY_ROOT=1 needs DATA_DEVICE (a writable ext4 partition for $STATE_DIR)"
  ensure_line /etc/fstab "$DATA_DEVICE $STATE_DIR ext4 defaults,noatime,commit=60 0 2"
  if [ -f "$BOOT_DIR/cmdline.txt" ] && grep -q 'overlayroot=tmpfs' "$BOOT_DIR/cmdline.txt"; then log ok "overlay root"
  elif command -v raspi-config >/dev/null; then
    raspi-config nonint do_overlayfs 0
    mark "overlay root enabled (active after reboot)"
  else log skip "raspi-config not found: enable the overlay root by hand (see README)"; fi
fi

# --- 10. systemd units ----------------------------------------------------------------------------
unit_changed=0
put_file 0644 root:root "$SYSTEMD_DIR/$UNIT_NAME" <"$here/noodsteun-gateway.service" && unit_changed=1
if [ "$node_bin" != /usr/bin/node ]; then
  put_file 0644 root:root "$SYSTEMD_DIR/$UNIT_NAME.d/node.conf" < <(
    printf '[Service]\n# Node is not the Debian one: install.sh points ExecStart at %s.\nExecStart=\nExecStart=%s --max-semi-space-size=1 --max-old-space-size=96 %s/edge-gateway/bin/noodsteun.js gateway --config %s/gateway.json\n' \
      "$node_bin" "$node_bin" "$APP_DIR" "$ETC_DIR"
  ) && unit_changed=1
fi
[ "$changed" -gt 0 ] && [ "$in_chroot" = 0 ] && systemctl daemon-reload
for u in $UNIT_NAME $hotspot_units; do
  if systemctl is-enabled --quiet "$u" 2>/dev/null; then log ok "enabled $u"; else
    systemctl enable "$u" >/dev/null 2>&1 || die "systemctl enable $u failed"
    mark "enabled $u"
  fi
done
if [ "$in_chroot" = 0 ] && [ "$START_SERVICE" = 1 ]; then
  if [ "$unit_changed" = 1 ] || ! systemctl is-active --quiet "$UNIT_NAME"; then
    systemctl restart "$UNIT_NAME"
    mark "started $UNIT_NAME"
  fi
fi

log done "$changed change(s)"
