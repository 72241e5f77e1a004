#!/usr/bin/env bash
# JFR profile of vxpool (StandaloneProxy) under pgbench, summarised by bench/jfr-top.py.
#
#   bench/profile.sh <postgres port> [out.jfr]          # PostgreSQL on 127.0.0.1 with pgbench tables
#   MODES="prepared" SECONDS_PER_MODE=20 VXPOOL_JAVA_OPTS="-Dnative=false" bench/profile.sh 5432
#   STANDBY_PORT=5433 bench/profile.sh 5432                  # load balancing over primary + standby
#
# Recording starts after a 5 s warm-up and covers pgbench -S -M <mode> -c16 -j2 for each mode.
set -euo pipefail
PG_PORT=$1
OUT=${2:-/tmp/vxpool-profile.jfr}
MODES=${MODES:-"simple extended prepared"}
SECONDS_PER_MODE=${SECONDS_PER_MODE:-12}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/vxprofile.XXXXXX)
trap '[ -n "${VX:-}" ] && kill "$VX" 2>/dev/null; rm -rf "$WORK"' EXIT

(cd "$ROOT" && mvn -B -q -pl proxy-verticle -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/mvn.log" 2>&1) || { cat "$WORK/mvn.log"; exit 1; }
CP="$ROOT/proxy-verticle/target/classes:$ROOT/proxy-verticle/target/test-classes:$(cat "$WORK/cp.txt")"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086 # word list on purpose
JAVA_OPTS=${VXPOOL_JAVA_OPTS:-"-Xms64m -Xmx512m -XX:+UseSerialGC -XX:+UseTransparentHugePages"}
# shellcheck disable=SC2086 # word list on purpose
BACKENDS=("127.0.0.1:$PG_PORT")
if [ -n "${STANDBY_PORT:-}" ]; then BACKENDS+=("127.0.0.1:$STANDBY_PORT"); JAVA_OPTS="$JAVA_OPTS -Dload_balance=true"; fi
# shellcheck disable=SC2086 # word list on purpose
java $JAVA_OPTS -XX:StartFlightRecording=settings=profile,name=vx \
    -cp "$CP" org.vxpool.proxy.bench.StandaloneProxy "$PORT" "${BACKENDS[@]}" >"$WORK/vxpool.log" 2>&1 &
VX=$!
for _ in $(seq 1 120); do grep -q listening "$WORK/vxpool.log" && break; sleep 0.5; done
grep listening "$WORK/vxpool.log" || { cat "$WORK/vxpool.log"; exit 1; }
pgbench -S -M prepared -c 16 -j 2 -T 5 -h 127.0.0.1 -p "$PORT" -U postgres postgres >/dev/null 2>&1
jcmd "$VX" JFR.stop name=vx >/dev/null
jcmd "$VX" JFR.start name=vx settings=profile >/dev/null
for m in $MODES; do
  echo "$m: $(pgbench -S -M "$m" -c 16 -j 2 -T "$SECONDS_PER_MODE" -h 127.0.0.1 -p "$PORT" -U postgres postgres 2>&1 | grep '^tps') (load $(cut -d' ' -f1 /proc/loadavg))"
done
jcmd "$VX" JFR.dump name=vx filename="$OUT" >/dev/null
echo "recording: $OUT"
python3 "$ROOT/bench/jfr-top.py" "$OUT" "${TOP:-20}"
