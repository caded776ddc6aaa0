#!/bin/bash
# Backs up the gateway's state (SQLite store, broker users, queues) and its keys and configuration into one
# archive that restore.sh puts back. The archive holds secrets: it is written mode 0600; keep it offline.
#
#   sudo ./backup.sh [--out DIR] [--online]
#
# --online skips stopping the gateway (the copy of a busy SQLite database may then miss its last
# transactions; the default stops the gateway for the few seconds the copy takes, then starts it again).
set -euo pipefail
umask 077

ETC_DIR=${ETC_DIR:-/etc/noodsteun}
STATE_DIR=${STATE_DIR:-/var/lib/noodsteun}
UNIT_NAME=${UNIT_NAME:-noodsteun-gateway.service}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
out_dir=${BACKUP_DIR:-/var/backups/noodsteun}
online=0

while [ $# -gt 0 ]; do
  case "$1" in
    --out) out_dir=${2:?--out needs a directory}; shift 2 ;;
    --online) online=1; shift ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "backup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for d in "$ETC_DIR" "$STATE_DIR"; do [ -d "$d" ] || { echo "backup.sh: $d does not exist" >&2; exit 1; }; done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d)
was_active=0
restart() {
  if [ "$was_active" = 1 ]; then "$SYSTEMCTL" start "$UNIT_NAME"; fi
  rm -rf "$work"
}
trap restart EXIT

if [ "$online" = 0 ] && "$SYSTEMCTL" is-active --quiet "$UNIT_NAME"; then
  was_active=1
  "$SYSTEMCTL" stop "$UNIT_NAME"
fi

mkdir -p "$work/payload"
cp -a "$ETC_DIR" "$work/payload/etc"
cp -a "$STATE_DIR" "$work/payload/state"
[ "$was_active" = 1 ] && { "$SYSTEMCTL" start "$UNIT_NAME"; was_active=0; }

{
  echo "format=noodsteun-backup-1"
  echo "created=$stamp"
  echo "host=$(hostname)"
  echo "etc_dir=$ETC_DIR"
  echo "state_dir=$STATE_DIR"
  echo "online=$online"
} >"$work/payload/MANIFEST"
(cd "$work/payload" && find etc state -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum >SHA256SUMS)

mkdir -p "$out_dir"
file="$out_dir/noodsteun-backup-$(hostname)-$stamp.tar.gz"
tar -C "$work/payload" --numeric-owner -czf "$file.part" .
chmod 0600 "$file.part"
mv "$file.part" "$file"
echo "$file"
