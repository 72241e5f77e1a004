#!/bin/sh
# Soak (issue 11): MINUTES of pgbench TPC-B plus three JDBC ledger writers through an in-process
# vxpool, with a primary kill (SIGKILL), failover, pg_basebackup recovery of the old primary as
# synchronous standby and auto_failback every PAUSE seconds. Asserted at the end: no acknowledged
# write lost, errors only inside failover windows, thread count and heap after GC of the vxpool JVM
# stable (last round against the second), and no client backend left on the primary once the load
# has stopped. One "SOAK round=..." line per round shows heap, threads and client backends.
#
# Usage: bench/soak.sh [MINUTES [PAUSE_SECONDS]]   (default 30 minutes, 45 s between kills)
# SOAK_HISTOGRAMS=DIR also writes the JVM's live-object class histogram after each round to
# DIR/round-N.txt (compare two rounds with bench/histo-diff.sh).
set -eu
MINUTES="${1:-30}"
PAUSE="${2:-45}"
cd "$(git rev-parse --show-toplevel)"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
mvn -B -q -pl it -am test -Dtest=PrimaryKillSeriesTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dvxpool.soak.minutes="$MINUTES" -Dvxpool.soak.pauseSeconds="$PAUSE" \
    -Dvxpool.soak.histograms="${SOAK_HISTOGRAMS:-}" >"$OUT" 2>&1 \
    || { grep -v '^\s*at ' "$OUT" | tail -60; exit 1; }
grep -E '^(SOAK|KILLSERIES)' "$OUT"
