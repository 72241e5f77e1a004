#!/bin/bash
# Sample follow_primary_command for streaming replication (pgpool-II's arguments and order):
#   follow_primary_command = '/etc/vxpool/follow_primary.sh %d %h %p %D %m %H %M %P %r %R %N %S'
#
# After a failover (or a switchover) the Active vxpool node runs it once per node that must
# follow the new primary, one at a time (docs/FAILOVER.md, step 6). For node %d it:
#   1. does nothing (exit 0) when %d is the new primary; when the node is in recovery and
#      already streams from the new primary, only makes sure it is attached: running the script
#      twice is harmless;
#   2. fails (exit 1) when the node does not accept connections: vxpool calls this script only
#      for nodes it sees alive (pgpool's sample exits 0 there because pgpool calls it for dead
#      nodes too), so an unreachable node is an error to look at. The node is left as it is;
#      it is not attached. Rebuild it with online recovery (vxpoolctl recover %d);
#   3. detaches the node from vxpool (vxpoolctl detach %d; "already down" is fine), so that no
#      client is sent to a server that is about to stop;
#   4. runs CHECKPOINT on the new primary: a promoted server writes its new timeline into
#      pg_control only at its next checkpoint, and pg_rewind reads the timeline from there;
#      without it pg_rewind may answer "no rewind required" and the node fails to follow;
#   5. with REPL_SLOT=yes, creates the physical slot vxpool_node%d on the new primary (the name
#      recovery_1st_stage uses), reserving WAL at once;
#   6. stops the node cleanly (pg_ctl stop -m fast), then pg_rewind --source-server against the
#      new primary. When pg_rewind fails and FALLBACK_BASEBACKUP=yes (the default, as in
#      pgpool's sample) the data directory is replaced by pg_basebackup from the new primary;
#      with FALLBACK_BASEBACKUP=no the script stops there with exit 1;
#   7. puts the node's own configuration back: pg_rewind and pg_basebackup copy the new
#      primary's files, so every *.conf at the top of the data directory (postgresql.conf,
#      postgresql.auto.conf, pg_hba.conf, included files) is saved before and restored after
#      (a postgresql.conf in /etc, as on Debian, is touched by neither tool).
#      Then postgresql.auto.conf gets port = %p (the node keeps its own port), primary_conninfo
#      (host/port of the new primary, user REPLUSER, application_name for
#      synchronous_standby_names) and primary_slot_name (the slot, or '' without one), and
#      standby.signal is written;
#   8. starts the node (pg_ctl start -w), waits until it streams from the new primary, and
#      attaches it (vxpoolctl attach %d, pcp_attach_node's job; "already up" is fine).
# Every step is logged to stderr as "follow_primary.sh: node N: ...", which vxpool's log shows
# under follow_primary_command. Any failure exits 1 with the reason; the node stays detached.
#
# Local and remote nodes. A node whose host (%h) is this host is handled directly, as
# $PGUSER_OS (through runuser when vxpool runs as root). A node on another host is handled over
# ssh as $PGUSER_OS@%h, as pgpool's sample does: passwordless keys from the vxpool user to
# $PGUSER_OS on every database host, the PostgreSQL binaries at $PGBIN there, and $STARTUP_LOG
# a path that exists there. Every PostgreSQL client call (pg_isready, psql, pg_rewind,
# pg_basebackup) runs on the node's host, so the credentials below must be in $PGUSER_OS's
# ~/.pgpass there; only vxpoolctl runs on the vxpool host.
#
# Settings: environment (vxpool's, or assignments in front of the command), or a file
# follow_primary.env next to this script, sourced after the arguments are read:
#   SUPERUSER    role for CHECKPOINT, the slot and pg_rewind's source connection (default postgres;
#                pg_rewind needs a superuser or the grants its manual lists; password: ~/.pgpass
#                of $PGUSER_OS, or PGPASSWORD for a node on this host)
#   REPLUSER     role in primary_conninfo and for pg_basebackup (default repl; REPLICATION)
#   APP_NAME     application_name in primary_conninfo (default: the one in the node's current
#                primary_conninfo, else its cluster_name, else %h with '-' and '.' as '_')
#   REPL_SLOT    yes: stream through the slot vxpool_node%d (default no)
#   FALLBACK_BASEBACKUP  yes (default) or no, see step 6
#   PGBIN        directory of pg_ctl, pg_rewind, ... (default: pg_config --bindir, else the newest
#                /usr/lib/postgresql/<v>/bin)
#   PGUSER_OS    OS user that owns the data directory (default postgres)
#   STARTUP_LOG  where pg_ctl start sends the server's output (default /dev/null, as in
#                pgpool_remote_start; with logging_collector off that is the whole server log)
#   FOLLOW_TIMEOUT  seconds to wait for the start and for streaming (default 60)
#   VXPOOLCTL    vxpoolctl to run (default: the one on PATH, else bin/vxpoolctl of this checkout)
#   PCP_HOST, PCP_PORT, PCP_USER  vxpool's admin API (default localhost, 9899, admin); the
#                password comes from VXPOOL_PASSWORD or ~/.vxpoolpass (VXPOOLPASSFILE), as for
#                vxpoolctl itself
#   SSH_OPTIONS  ssh options (default: batch mode, no host key prompt)
# Requirements on the servers: wal_log_hints = on or data checksums (pg_rewind), and a pg_hba
# line that lets $SUPERUSER connect to the new primary from the node's host.
# Not handled: tablespaces outside the data directory (pg_basebackup would need -T), a
# restore_command/archive (add it to the lines written in step 7 if you use one), a server
# managed by systemd (use pg_ctlcluster or systemctl for the pg_ctl calls in resync_node).
set -o nounset -o pipefail

if [ $# -lt 10 ]; then
    echo "follow_primary.sh: usage: follow_primary.sh %d %h %p %D %m %H %M %P %r %R [%N %S]" >&2
    exit 2
fi
NODE_ID="$1"               # %d
NODE_HOST="$2"             # %h
NODE_PORT="$3"             # %p
NODE_PGDATA="$4"           # %D
NEW_PRIMARY_ID="$5"        # %m
NEW_PRIMARY_HOST="$6"      # %H
OLD_MAIN_ID="$7"           # %M
OLD_PRIMARY_ID="$8"        # %P
NEW_PRIMARY_PORT="$9"      # %r
NEW_PRIMARY_PGDATA="${10}" # %R
OLD_PRIMARY_HOST="${11:-}" # %N
OLD_PRIMARY_PORT="${12:-}" # %S

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
[ -f "$HERE/follow_primary.env" ] && . "$HERE/follow_primary.env"
SUPERUSER="${SUPERUSER:-postgres}"
REPLUSER="${REPLUSER:-repl}"
APP_NAME="${APP_NAME:-}"
REPL_SLOT="${REPL_SLOT:-no}"
FALLBACK_BASEBACKUP="${FALLBACK_BASEBACKUP:-yes}"
PGUSER_OS="${PGUSER_OS:-postgres}"
STARTUP_LOG="${STARTUP_LOG:-/dev/null}"
FOLLOW_TIMEOUT="${FOLLOW_TIMEOUT:-60}"
PCP_HOST="${PCP_HOST:-localhost}"
PCP_PORT="${PCP_PORT:-9899}"
PCP_USER="${PCP_USER:-admin}"
SSH_OPTIONS="${SSH_OPTIONS:--o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=10}"
SLOT="vxpool_node$NODE_ID"

log() { echo "follow_primary.sh: node $NODE_ID: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

find_pgbin() {
    if [ -n "${PGBIN:-}" ]; then echo "$PGBIN"; return; fi
    if command -v pg_config >/dev/null 2>&1; then pg_config --bindir; return; fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

find_vxpoolctl() {
    if [ -n "${VXPOOLCTL:-}" ]; then echo "$VXPOOLCTL"; return; fi
    if command -v vxpoolctl >/dev/null 2>&1; then command -v vxpoolctl; return; fi
    echo "$HERE/../bin/vxpoolctl"
}

is_local_host() {
    local h="$1"
    case "$h" in
        localhost|127.*|::1|"$(hostname)"|"$(hostname -f 2>/dev/null)") return 0 ;;
    esac
    hostname -I 2>/dev/null | tr ' ' '\n' | grep -qx "$h"
}

PGBIN="$(find_pgbin)"
VXPOOLCTL="$(find_vxpoolctl)"

# ---- functions that run on the node's host, as $PGUSER_OS (see on_node) ----

# psql to the node itself (-h/-p as vxpool reaches it), one value out.
node_sql() {
    "$PGBIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -h "$NODE_HOST" -p "$NODE_PORT" -U "$SUPERUSER" -d postgres -c "$1"
}

primary_sql() {
    "$PGBIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -h "$NEW_PRIMARY_HOST" -p "$NEW_PRIMARY_PORT" -U "$SUPERUSER" \
        -d postgres -c "$1"
}

node_is_ready() {
    "$PGBIN/pg_isready" -q -h "$NODE_HOST" -p "$NODE_PORT" -t 10
}

# "yes" when the node is in recovery and streams from the new primary.
node_follows() {
    node_sql "SELECT CASE WHEN pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver
                  WHERE status = 'streaming' AND sender_host = '$NEW_PRIMARY_HOST' AND sender_port = $NEW_PRIMARY_PORT)
              THEN 'yes' ELSE 'no' END"
}

# The application_name the node streams under now, so that synchronous_standby_names still names it.
node_app_name() {
    local conninfo name
    conninfo="$(node_sql "SHOW primary_conninfo")" || return 1
    name="$(printf '%s\n' "$conninfo" | sed -n -E "s/.*application_name=('?)([^' ]+)\1.*/\2/p")"
    if [ -z "$name" ]; then name="$(node_sql "SHOW cluster_name")" || return 1; fi
    printf '%s\n' "$name"
}

prepare_primary() {
    primary_sql "CHECKPOINT" || { log "CHECKPOINT on the new primary $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT failed"; return 1; }
    if [ "$REPL_SLOT" = yes ]; then
        primary_sql "SELECT pg_create_physical_replication_slot('$SLOT', true)
                     WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT')" >/dev/null \
            || { log "cannot create the replication slot $SLOT on the new primary"; return 1; }
    fi
}

# Stop cleanly, rewind (or copy anew), put the node's configuration back, make it a standby, start.
resync_node() {
    set -o errexit
    [ -f "$NODE_PGDATA/PG_VERSION" ] || { log "$NODE_PGDATA is not a PostgreSQL data directory"; return 1; }
    local saved
    saved="$(mktemp -d "${TMPDIR:-/tmp}/follow_primary.node$NODE_ID.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$saved'" EXIT
    cp -p "$NODE_PGDATA"/*.conf "$saved"/
    if "$PGBIN/pg_ctl" -D "$NODE_PGDATA" status >/dev/null 2>&1; then
        log "stopping PostgreSQL in $NODE_PGDATA (fast)"
        "$PGBIN/pg_ctl" -D "$NODE_PGDATA" -m fast -w -t "$FOLLOW_TIMEOUT" stop >/dev/null
    fi
    log "pg_rewind from $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT"
    # --progress for its verdict ("servers diverged at ...", "no rewind required"), without the counters.
    if ! "$PGBIN/pg_rewind" -D "$NODE_PGDATA" --progress \
            --source-server="host=$NEW_PRIMARY_HOST port=$NEW_PRIMARY_PORT user=$SUPERUSER dbname=postgres" 2>&1 \
            | tr '\r' '\n' | sed -e '/ kB (/d' -e '/^$/d' -e 's/^/    /' >&2; then
        if [ "$FALLBACK_BASEBACKUP" != yes ]; then
            log "pg_rewind failed and FALLBACK_BASEBACKUP is not yes"
            return 1
        fi
        log "pg_rewind failed; replacing the contents of $NODE_PGDATA with pg_basebackup from the new primary"
        # The directory itself stays: its owner and mode are the operator's, and its parent may not be ours.
        find "$NODE_PGDATA" -mindepth 1 -delete
        "$PGBIN/pg_basebackup" -h "$NEW_PRIMARY_HOST" -p "$NEW_PRIMARY_PORT" -U "$REPLUSER" -D "$NODE_PGDATA" \
            -X stream -c fast >&2
    fi
    cp -p "$saved"/*.conf "$NODE_PGDATA"/
    # Slots the node held as a primary (after a switchover) would keep WAL for standbys it no longer has.
    rm -rf "$NODE_PGDATA"/pg_replslot/*
    local auto="$NODE_PGDATA/postgresql.auto.conf"
    sed -i -E '/^[[:space:]]*(port|primary_conninfo|primary_slot_name)[[:space:]]*=/d' "$auto"
    local slot_name=''
    [ "$REPL_SLOT" = yes ] && slot_name="$SLOT"
    {
        echo "# follow_primary.sh: node $NODE_ID follows node $NEW_PRIMARY_ID since $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
        echo "port = '$NODE_PORT'"
        echo "primary_conninfo = 'host=$NEW_PRIMARY_HOST port=$NEW_PRIMARY_PORT user=$REPLUSER application_name=$APP_NAME'"
        echo "primary_slot_name = '$slot_name'"
    } >> "$auto"
    touch "$NODE_PGDATA/standby.signal"
    log "starting PostgreSQL in $NODE_PGDATA as a standby of $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT"
    "$PGBIN/pg_ctl" -D "$NODE_PGDATA" -l "$STARTUP_LOG" -w -t "$FOLLOW_TIMEOUT" start >/dev/null
}

await_streaming() {
    local deadline=$((SECONDS + FOLLOW_TIMEOUT))
    until [ "$(node_follows 2>/dev/null)" = yes ]; do
        if [ $SECONDS -ge $deadline ]; then
            log "not streaming from $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT after $FOLLOW_TIMEOUT s:" \
                "$(node_sql "SELECT status, sender_host, sender_port FROM pg_stat_wal_receiver" 2>&1)"
            return 1
        fi
        sleep 0.5
    done
}

drop_slot() {
    [ "$REPL_SLOT" = yes ] || return 0
    primary_sql "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots
                 WHERE slot_name = '$SLOT' AND NOT active" >/dev/null \
        || log "could not drop the replication slot $SLOT on the new primary; drop it by hand"
}

# Runs "$@" (one of the functions above) where the node's data directory lives, as $PGUSER_OS,
# with this script's settings. Its stdout comes back; its log lines go to stderr.
on_node() {
    local code
    code="$(declare -p NODE_ID NODE_HOST NODE_PORT NODE_PGDATA NEW_PRIMARY_ID NEW_PRIMARY_HOST NEW_PRIMARY_PORT \
        SUPERUSER REPLUSER APP_NAME REPL_SLOT FALLBACK_BASEBACKUP STARTUP_LOG FOLLOW_TIMEOUT SLOT PGBIN)
$(declare -f log node_sql primary_sql node_is_ready node_follows node_app_name prepare_primary resync_node \
        await_streaming drop_slot)
set -o nounset -o pipefail
cd / || exit 1
$(printf '%q ' "$@")"
    if ! is_local_host "$NODE_HOST"; then
        # The code travels base64-encoded: it survives any login shell (dash knows no $'...'), and as
        # an argument rather than on stdin it cannot be eaten by a command that reads stdin.
        # shellcheck disable=SC2086
        ssh -n -T $SSH_OPTIONS "$PGUSER_OS@$NODE_HOST" \
            "bash -c \"\$(echo $(printf '%s' "$code" | base64 -w0) | base64 -d)\""
    elif [ "$(id -un)" = "$PGUSER_OS" ]; then
        bash -c "$code"
    else
        runuser -u "$PGUSER_OS" -- bash -c "$code"
    fi
}

# vxpoolctl COMMAND N; accepts the refusal that says the node is already in the asked state.
vxpool_node_command() {
    local command="$1" already="$2" out rc
    out="$("$VXPOOLCTL" -h "$PCP_HOST" -p "$PCP_PORT" -U "$PCP_USER" "$command" "$NODE_ID" 2>&1)"
    rc=$?
    if [ $rc -eq 0 ]; then
        log "vxpoolctl $command $NODE_ID: $(printf '%s' "$out" | tail -n 1)"
    elif printf '%s' "$out" | grep -q "is already $already"; then
        log "vxpoolctl $command $NODE_ID: node $NODE_ID is already $already"
    else
        log "vxpoolctl $command $NODE_ID failed (exit $rc): $out"
        return 1
    fi
}

log "start: follow node $NEW_PRIMARY_ID ($NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT, $NEW_PRIMARY_PGDATA);" \
    "this node $NODE_HOST:$NODE_PORT ($NODE_PGDATA); old primary $OLD_PRIMARY_ID ${OLD_PRIMARY_HOST:+($OLD_PRIMARY_HOST:$OLD_PRIMARY_PORT)}," \
    "old main $OLD_MAIN_ID"

if [ "$NODE_ID" = "$NEW_PRIMARY_ID" ]; then
    log "is the new primary; nothing to do"
    exit 0
fi
if [ "$NEW_PRIMARY_ID" -lt 0 ] 2>/dev/null; then
    fail "there is no new primary to follow"
fi

on_node node_is_ready \
    || fail "$NODE_HOST:$NODE_PORT does not accept connections (or its host cannot be reached); not following," \
        "node left as it is; rebuild it with online recovery (vxpoolctl recover $NODE_ID)"

if [ "$(on_node node_follows)" = yes ]; then
    log "already streams from $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT; only making sure it is attached"
    vxpool_node_command attach up || fail "node $NODE_ID follows the new primary but could not be attached"
    log "done"
    exit 0
fi

if [ -z "$APP_NAME" ]; then
    APP_NAME="$(on_node node_app_name)" || fail "cannot read primary_conninfo and cluster_name on $NODE_HOST:$NODE_PORT"
    APP_NAME="${APP_NAME:-${NODE_HOST//[-.]/_}}"
fi
if [ "$REPL_SLOT" = yes ]; then log "application_name $APP_NAME, slot $SLOT"; else log "application_name $APP_NAME, no slot"; fi

vxpool_node_command detach down \
    || log "continuing with node $NODE_ID attached: clients reading from it will see it restart"

on_node prepare_primary || fail "the new primary $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT is not ready to be followed"

if ! on_node resync_node; then
    on_node drop_slot
    fail "could not make $NODE_HOST:$NODE_PORT a standby of $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT; it stays detached"
fi
on_node await_streaming || fail "started, but it does not stream from the new primary; it stays detached"
log "streams from $NEW_PRIMARY_HOST:$NEW_PRIMARY_PORT"

vxpool_node_command attach up || fail "node $NODE_ID follows the new primary but could not be attached"
log "done: node $NODE_ID is a standby of node $NEW_PRIMARY_ID and attached"
exit 0
