#!/bin/bash
# Restores an archive made by backup.sh: checks every file against its checksum first, keeps the current
# state next to it (…​.pre-restore-<time>), and restarts the gateway.
#
#   sudo ./restore.sh <noodsteun-backup-….tar.gz>
set -euo pipefail
umask 077

ETC_DIR=${ETC_DIR:-/etc/noodsteun}
STATE_DIR=${STATE_DIR:-/var/lib/noodsteun}
UNIT_NAME=${UNIT_NAME:-noodsteun-gateway.service}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
SERVICE_USER=${SERVICE_USER:-noodsteun}

case "${1:-}" in
  -h | --help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  '') echo "usage: restore.sh <backup.tar.gz>" >&2; exit 2 ;;
esac
archive=$1
[ -f "$archive" ] || { echo "restore.sh: $archive not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" --numeric-owner -xzf "$archive"
grep -qx 'format=noodsteun-backup-1' "$work/MANIFEST" 2>/dev/null || { echo "restore.sh: $archive is not a noodsteun backup" >&2; exit 1; }
(cd "$work" && sha256sum --quiet -c SHA256SUMS) || { echo "restore.sh: $archive is damaged (checksum mismatch), nothing changed" >&2; exit 1; }

was_active=0
if "$SYSTEMCTL" is-active --quiet "$UNIT_NAME"; then
  was_active=1
  "$SYSTEMCTL" stop "$UNIT_NAME"
fi
stamp=$(date -u +%Y%m%dT%H%M%SZ)
for pair in "etc:$ETC_DIR" "state:$STATE_DIR"; do
  src="$work/${pair%%:*}"
  dest=${pair#*:}
  [ -e "$dest" ] && mv "$dest" "$dest.pre-restore-$stamp"
  mkdir -p "$(dirname "$dest")"
  mv "$src" "$dest"
done
# User ids differ between installs (a restore onto a new Pi): give the files to this install's user.
if id "$SERVICE_USER" >/dev/null 2>&1; then
  chown -R "root:$SERVICE_USER" "$ETC_DIR"
  chown -R "$SERVICE_USER:$SERVICE_USER" "$STATE_DIR"
fi
if [ "$was_active" = 1 ]; then "$SYSTEMCTL" start "$UNIT_NAME"; fi
echo "restored $archive (previous state kept as *.pre-restore-$stamp)"
