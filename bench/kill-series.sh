#!/bin/sh
# Primary kill series (issue 11): N SIGKILLs of the primary's postmaster under a write load with
# synchronous replication, through an in-process vxpool (watchdog + proxy, health_check_period 1,
# auto_failback on). After every kill the old primary is rebuilt with pg_basebackup as the new
# primary's synchronous standby and re-attached by auto_failback, then the next kill follows.
#
# Three JDBC writers insert unique ids; the client-side ledger of acknowledged ids is compared to
# the new primary after every kill (0 lost is asserted), and every error must fall inside a
# failover window (kill until every writer has written again). The line printed gives the window
# lengths. CI runs the same test with 3 kills (it/.../reliability/PrimaryKillSeriesTest).
#
# Usage: bench/kill-series.sh [KILLS]   (default 20; about 6 s per kill)
set -eu
KILLS="${1:-20}"
cd "$(git rev-parse --show-toplevel)"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
mvn -B -q -pl it -am test -Dtest=PrimaryKillSeriesTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dvxpool.kills="$KILLS" >"$OUT" 2>&1 || { grep -v '^\s*at ' "$OUT" | tail -60; exit 1; }
grep '^KILLSERIES' "$OUT"
