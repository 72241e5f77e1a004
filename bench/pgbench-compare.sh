#!/usr/bin/env bash
# Compares pgbench against PostgreSQL directly and through vxpool (and pgpool-II / PgBouncer when
# installed: apt-get install pgpool2 pgbouncer),
# in interleaved rounds (A B C, A B C ...), and prints the median tps per target and mode with
# the ratio to direct. Starts its own PostgreSQL 15 (trust on 127.0.0.1) in a temp dir.
#
#   bench/pgbench-compare.sh                      # 3 rounds of 10 s per mode
#   ROUNDS=5 DURATION=20 SCALE=10 bench/pgbench-compare.sh
#   TARGETS="direct vxpool" MODES="select-prepared tpcb" bench/pgbench-compare.sh
#   TARGETS="direct vxpool-lb" MODES="select-simple select-extended select-prepared" bench/pgbench-compare.sh
#
# vxpool-lb is vxpool with load balancing over the primary and one streaming standby (made with
# pg_basebackup, weights 1:1); the ratio is still to direct-to-primary.
#
# Modes: select-simple select-extended select-prepared (-S -c16 -j2), tpcb (-c8 -j2),
# connect (-S -C -c8 -j2: one connection per transaction).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
SCALE=${SCALE:-1}
MODES=${MODES:-"select-simple select-extended select-prepared tpcb connect"}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/vxbench.XXXXXX)
PIDS=()

default_targets="direct vxpool"
command -v pgpool >/dev/null 2>&1 && default_targets="$default_targets pgpool"
command -v pgbouncer >/dev/null 2>&1 && default_targets="$default_targets pgbouncer"
TARGETS=${TARGETS:-$default_targets}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer/pgbouncer.pid")" 2>/dev/null || true
  [ -f "$WORK/standby/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $WORK/standby -m immediate stop" >/dev/null 2>&1 || true
  [ -f "$WORK/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $WORK/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] && chown postgres "$WORK"
PG_PORT=$(free_port)
echo "== PostgreSQL on $PG_PORT (data in $WORK/data)"
as_pg "$PGBIN/initdb -D $WORK/data -U postgres -A trust" >"$WORK/initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl -D $WORK/data -l $WORK/pg.log -w start -o \"-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=off\"" >/dev/null

declare -A PORT
PORT[direct]=$PG_PORT

if [[ " $TARGETS " == *" vxpool"* ]]; then
  echo "== building vxpool (test classpath)"
  (cd "$ROOT" && mvn -B -q -pl proxy-verticle -am test-compile dependency:build-classpath \
      -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
  CP="$ROOT/proxy-verticle/target/classes:$ROOT/proxy-verticle/target/test-classes:$(cat "$WORK/cp.txt")"
fi

if [[ " $TARGETS " == *" vxpool-lb "* ]]; then
  SB_PORT=$(free_port)
  echo "== standby on $SB_PORT"
  as_pg "$PGBIN/pg_basebackup -h 127.0.0.1 -p $PG_PORT -U postgres -D $WORK/standby -R -X stream" >"$WORK/basebackup.log" 2>&1
  as_pg "$PGBIN/pg_ctl -D $WORK/standby -l $WORK/standby.log -w start -o \"-p $SB_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=off\"" >/dev/null
  PORT[vxpool-lb]=$(free_port)
  java -Xms256m -Xmx512m -Dload_balance=true ${VXPOOL_INSTANCES:+-Dinstances=$VXPOOL_INSTANCES} -cp "$CP" org.vxpool.proxy.bench.StandaloneProxy \
      "${PORT[vxpool-lb]}" "127.0.0.1:$PG_PORT" "127.0.0.1:$SB_PORT" >"$WORK/vxpool-lb.log" 2>&1 &
  PIDS+=($!)
fi

if [[ " $TARGETS " == *" vxpool "* ]]; then
  PORT[vxpool]=$(free_port)
  java -Xms256m -Xmx512m ${VXPOOL_INSTANCES:+-Dinstances=$VXPOOL_INSTANCES} -cp "$CP" org.vxpool.proxy.bench.StandaloneProxy "${PORT[vxpool]}" "127.0.0.1:$PG_PORT" \
      >"$WORK/vxpool.log" 2>&1 &
  PIDS+=($!)
fi

if [[ " $TARGETS " == *" pgpool "* ]]; then
  PORT[pgpool]=$(free_port)
  mkdir -p "$WORK/pgpool"
  cat >"$WORK/pgpool/pgpool.conf" <<CONF
backend_clustering_mode = 'streaming_replication'
listen_addresses = '127.0.0.1'
port = ${PORT[pgpool]}
unix_socket_directories = '$WORK/pgpool'
pcp_listen_addresses = ''
pcp_port = $(free_port)
pcp_socket_dir = '$WORK/pgpool'
backend_hostname0 = '127.0.0.1'
backend_port0 = $PG_PORT
backend_weight0 = 1
backend_flag0 = 'ALWAYS_PRIMARY'
num_init_children = 32
max_pool = 4
load_balance_mode = off
sr_check_period = 0
health_check_period = 0
enable_pool_hba = off
pid_file_name = '$WORK/pgpool/pgpool.pid'
logdir = '$WORK/pgpool'
logging_collector = off
CONF
  : >"$WORK/pgpool/pcp.conf"
  pgpool -n -D -f "$WORK/pgpool/pgpool.conf" -F "$WORK/pgpool/pcp.conf" >"$WORK/pgpool.log" 2>&1 &
  PIDS+=($!)
fi

if [[ " $TARGETS " == *" pgbouncer "* ]]; then
  # session pooling, like vxpool (1.18 in transaction mode fails pgbench -M prepared)
  PORT[pgbouncer]=$(free_port)
  mkdir -p "$WORK/pgbouncer"
  echo '"postgres" ""' >"$WORK/pgbouncer/userlist.txt"
  cat >"$WORK/pgbouncer/pgbouncer.ini" <<CONF
[databases]
postgres = host=127.0.0.1 port=$PG_PORT dbname=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${PORT[pgbouncer]}
unix_socket_dir =
auth_type = trust
auth_file = $WORK/pgbouncer/userlist.txt
pool_mode = ${PGBOUNCER_POOL_MODE:-session}
max_client_conn = 500
default_pool_size = 40
ignore_startup_parameters = extra_float_digits
logfile = $WORK/pgbouncer/pgbouncer.log
pidfile = $WORK/pgbouncer/pgbouncer.pid
CONF
  [ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pgbouncer"
  as_pg "pgbouncer -d $WORK/pgbouncer/pgbouncer.ini" >"$WORK/pgbouncer.log" 2>&1 || echo "!! pgbouncer failed to start"
fi

wait_ready() {
  local name=$1 port=$2
  for _ in $(seq 1 120); do
    "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && return 0
    sleep 0.5
  done
  echo "!! $name did not come up on $port; dropping it"; return 1
}
ACTIVE=()
for t in $TARGETS; do
  if wait_ready "$t" "${PORT[$t]}" && "$PGBIN/psql" -X -q -h 127.0.0.1 -p "${PORT[$t]}" -U postgres -c 'SELECT 1' postgres >/dev/null 2>&1; then
    ACTIVE+=("$t")
  else
    echo "!! $t does not answer queries; see $WORK/$t.log"
  fi
done

"$PGBIN/pgbench" -q -i -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >/dev/null 2>&1

mode_args() {
  case $1 in
    select-simple)   echo "-S -M simple -c 16 -j 2" ;;
    select-extended) echo "-S -M extended -c 16 -j 2" ;;
    select-prepared) echo "-S -M prepared -c 16 -j 2" ;;
    tpcb)            echo "-c 8 -j 2" ;;
    connect)         echo "-S -C -c 8 -j 2" ;;
  esac
}

# warm-up (JIT, pools) before measuring
for t in "${ACTIVE[@]}"; do
  "$PGBIN/pgbench" -S -M prepared -c 8 -j 2 -T 5 -h 127.0.0.1 -p "${PORT[$t]}" -U postgres postgres >/dev/null 2>&1 || true
done

RESULTS="$WORK/results.txt"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    for t in "${ACTIVE[@]}"; do
      # shellcheck disable=SC2046
      out=$("$PGBIN/pgbench" $(mode_args "$mode") -T "$DURATION" -h 127.0.0.1 -p "${PORT[$t]}" -U postgres postgres 2>&1 || true)
      tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
      failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
      echo "round $round $mode $t tps=${tps:-0} failed=${failed:-?}"
      echo "$mode $t ${tps:-0} ${failed:-?}" >>"$RESULTS"
    done
  done
done

echo
echo "== medians over $ROUNDS rounds of ${DURATION}s (scale $SCALE, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
python3 - "$RESULTS" "${ACTIVE[*]}" "$MODES" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
targets = sys.argv[2].split()
modes = sys.argv[3].split()
data = {}
for mode, t, tps, failed in rows:
    data.setdefault((mode, t), []).append(float(tps))
print("| mode | " + " | ".join(f"{t} tps" for t in targets) + " | " + " | ".join(f"{t}/direct" for t in targets if t != "direct") + " |")
print("|---" * (1 + len(targets) + len([t for t in targets if t != "direct"])) + "|")
for m in modes:
    med = {t: statistics.median(data.get((m, t), [0])) for t in targets}
    base = med.get("direct") or 0
    ratios = [f"{med[t] / base:.2f}x" if base else "-" for t in targets if t != "direct"]
    print(f"| {m} | " + " | ".join(f"{med[t]:.0f}" for t in targets) + " | " + " | ".join(ratios) + " |")
PY
