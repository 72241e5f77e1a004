#!/bin/bash
# Sample failover_command for streaming replication:
#   failover_command = '/etc/vxpool/failover.sh %d %h %p %D %m %H %M %P %r %R'
#
# vxpool runs it on the Active watchdog node after it marked node %d down. When the failed node
# was the primary, this promotes the standby that vxpool chose as the new main node (%m on host
# %H, data directory %R): locally with pg_ctl when %H is this host, otherwise over ssh.
# When a standby failed, there is nothing to promote.
#
# Environment (optional):
#   PGBIN        directory of pg_ctl (default: `pg_config --bindir`, else the newest
#                /usr/lib/postgresql/<v>/bin)
#   PGUSER_OS    OS user that owns the PostgreSQL data directory (default: postgres)
#   SSH_OPTIONS  extra ssh options (default: batch mode, no host key prompt)
set -u

FAILED_NODE_ID="$1"        # %d
FAILED_HOST="$2"           # %h
FAILED_PORT="$3"           # %p
FAILED_PGDATA="$4"         # %D
NEW_MAIN_ID="$5"           # %m
NEW_MAIN_HOST="$6"         # %H
OLD_MAIN_ID="$7"           # %M
OLD_PRIMARY_ID="$8"        # %P
NEW_MAIN_PORT="$9"         # %r
NEW_MAIN_PGDATA="${10}"    # %R

PGUSER_OS="${PGUSER_OS:-postgres}"
SSH_OPTIONS="${SSH_OPTIONS:--o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=10}"

# Each argument in single quotes, for any POSIX shell (dash reads no $'...', which printf %q
# gives for control characters and, in the C locale, for every non-ASCII byte)
shquote() {
    local a out=""
    for a in "$@"; do
        out+="'${a//\'/\'\\\'\'}' "
    done
    printf '%s' "$out"
}

log() { echo "failover.sh: $*" >&2; }

find_pgbin() {
    if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
    if command -v pg_config >/dev/null 2>&1; then pg_config --bindir; return; fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

is_local_host() {
    local h="$1"
    case "$h" in
        localhost|127.*|::1|"$(hostname)"|"$(hostname -f 2>/dev/null)") return 0 ;;
    esac
    hostname -I 2>/dev/null | tr ' ' '\n' | grep -qx "$h"
}

log "start: failed node $FAILED_NODE_ID ($FAILED_HOST:$FAILED_PORT, $FAILED_PGDATA)," \
    "old primary $OLD_PRIMARY_ID, old main $OLD_MAIN_ID, new main $NEW_MAIN_ID ($NEW_MAIN_HOST:$NEW_MAIN_PORT)"

if [ "$NEW_MAIN_ID" -lt 0 ]; then
    log "no node left to promote; nothing to do"
    exit 0
fi

if [ "$FAILED_NODE_ID" != "$OLD_PRIMARY_ID" ]; then
    log "a standby failed; the primary is unchanged"
    exit 0
fi

PGBIN="$(find_pgbin)"
PROMOTE=("$PGBIN/pg_ctl" -D "$NEW_MAIN_PGDATA" -w promote)

if is_local_host "$NEW_MAIN_HOST"; then
    log "promoting local standby in $NEW_MAIN_PGDATA"
    if [ "$(id -un)" = "$PGUSER_OS" ]; then
        "${PROMOTE[@]}"
    else
        su "$PGUSER_OS" -s /bin/sh -c "$(shquote "${PROMOTE[@]}")"
    fi
else
    log "promoting standby on $NEW_MAIN_HOST in $NEW_MAIN_PGDATA over ssh"
    # shellcheck disable=SC2086
    ssh -T $SSH_OPTIONS "$PGUSER_OS@$NEW_MAIN_HOST" "$(shquote "${PROMOTE[@]}")"
fi
rc=$?
if [ $rc -ne 0 ]; then
    log "promotion failed (exit $rc)"
    exit 1
fi
log "done: node $NEW_MAIN_ID is the new primary"
exit 0
