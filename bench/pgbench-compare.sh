#!/usr/bin/env bash
# One-command throughput and scale benchmark (docs/BENCHMARKS.md, issue 9).
#
# Builds a PostgreSQL 15 primary and a streaming standby (trust on 127.0.0.1, fsync off) in a temp
# dir and runs pgbench against every target in interleaved rounds (A B C ..., A B C ...):
#   direct     PostgreSQL itself (the reference for every ratio)
#   vxpool     vxpool (org.vxpool.proxy.bench.StandaloneProxy), session pooling, primary only
#   vxpool-lb  vxpool with load_balance_mode on over primary + standby (weights 1:1)
#   pgpool     pgpool-II (Debian pgpool2), streaming-replication mode, primary only, no balancing
#   pgbouncer  PgBouncer (Debian pgbouncer), session pooling
#   vxpool-tx, pgbouncer-tx  (not in the default list) pool_mode = transaction over TX_POOL_SIZE (8)
#              backend connections in all, for issue 10's comparison
#   vxpool-launcher, vxpool-launcher-tx  (not in the default list) vxpool as users run it: bin/vxpool
#              -f pgpool.conf on the fat jar (launcher/target/vxpool.jar, built once), with the watchdog
#              verticle's health checks (every 5 s) and SR checks, the admin API and its metrics, and
#              logback to a logdir; one backend, trust, no balancing (bench/lib/launcher.sh);
#              -tx: pool_mode = transaction over TX_POOL_SIZE backends in all, as vxpool-tx;
#              LAUNCHER_CONF adds pgpool.conf lines to both ("load_balance_mode = on;log_connections = on")
#   vxpool-1loop  (not in the default list) vxpool with one event loop instead of one per core
#   vxpool-uds    (not in the default list) vxpool reaching PostgreSQL over its Unix-domain socket
#   relay, relay2 (not in the default list) bench/lib/relay.c with one / two epoll loops: a TCP relay
#              that parses nothing, pools nothing and routes nothing, so its ratio is the floor the
#              extra socket hop sets for any proxy on this machine (connect: a backend per client)
#   txmux, txmux-pipe (not in the default list) bench/lib/txmux.c over TX_POOL_SIZE connections: the
#              least a transaction pooler can do (framing only; -S simple/extended only: skipped in tpcb and select-prepared), without and
#              with several clients' units pipelined on one connection (TXMUX_DEPTH, 4)
#   vxpool-launcher-tx-NAME  for each "NAME|java options|pgpool.conf lines" in LAUNCHER_VARIANTS, vxpool-launcher-tx
#              with those JVM options (added to VXPOOL_JAVA_OPTS) and pgpool.conf lines (separated by ',')
#              ("1loop|-Dvxpool.event_loops=1|default_pool_size = 4;noacc|-Dvxpool.accept_on_event_loop=false")
#   vxpool-NAME   for each "NAME|java options[|command prefix[|source tree]]" in VXPOOL_VARIANTS,
#              vxpool with those options, added to TARGETS ("spin|-Dspin_us=20;one|-Dinstances=1;batch||chrt -b 0");
#              a source tree's proxy-verticle and common classes go first on its class path
#              ("main|||/tmp/main-tree": `git archive main | tar -x -C /tmp/main-tree`, test-compiled there)
# then prints the median, min–max and ratio to direct per mode, and the RSS of each proxy while 64
# pgbench clients run through it. A second scenario (IDLE_CLIENTS) opens many idle clients against a
# fresh vxpool with a small Vert.x client (org.vxpool.proxy.bench.IdleClients), reports vxpool's RSS,
# then runs pgbench alongside and reports its latency and the time a new psql connection takes.
#
#   bench/pgbench-compare.sh                                  # everything: ~8-10 min
#   ROUNDS=5 DURATION=20 bench/pgbench-compare.sh
#   TARGETS="direct vxpool" MODES="select-prepared tpcb" IDLE_CLIENTS=0 bench/pgbench-compare.sh
#   TARGETS="direct vxpool vxpool-launcher" IDLE_CLIENTS=0 bench/pgbench-compare.sh
#   POOL_MODE=transaction IDLE_CLIENTS=10000 TARGETS=direct MODES= bench/pgbench-compare.sh
#
# Modes: select-simple select-extended select-prepared (-S -M ... -c16 -j2), tpcb (-c8 -j2),
# tpcb-extended tpcb-prepared (-M extended|prepared -c8 -j2; not in the default list),
# connect (-S -C -c8 -j2: a new connection per transaction).
# Options (environment): ROUNDS (3), DURATION seconds per run (5), WARMUP seconds per mode and
# target before the rounds (4), SCALE (10), MODES, TARGETS,
# RSS_CLIENTS (64; 0 skips the RSS step), IDLE_CLIENTS (10000 with POOL_MODE=transaction; in session
# mode each client holds a backend, so it is capped to what max_connections allows), POOL_MODE of
# the idle-clients vxpool (session|transaction), IDLE_SOURCES (local addresses the idle clients
# connect from), VXPOOL_JAVA_OPTS (the vxpool JVMs' flags, the launcher's too), LAUNCHER_CONF, PGBOUNCER_POOL_MODE (session),
# TX_POOL_SIZE (8: backend connections of the two transaction-pooling targets).
set -euo pipefail
trap 'echo "!! $0: line $LINENO: $BASH_COMMAND failed" >&2' ERR

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-4}
SCALE=${SCALE:-10}
MODES=${MODES-"select-simple select-extended select-prepared tpcb connect"}
RSS_CLIENTS=${RSS_CLIENTS:-64}
POOL_MODE=${POOL_MODE:-session}
PG_MAX_CONNECTIONS=${PG_MAX_CONNECTIONS:-600}
TX_POOL_SIZE=${TX_POOL_SIZE:-8}
if [ "$POOL_MODE" = transaction ]; then IDLE_CLIENTS=${IDLE_CLIENTS:-10000}; else IDLE_CLIENTS=${IDLE_CLIENTS:-500}; fi
IDLE_SOURCES=${IDLE_SOURCES:-127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5}
VXPOOL_JAVA_OPTS=${VXPOOL_JAVA_OPTS:-"-Xms64m -Xmx512m -XX:+UseSerialGC -XX:+UseTransparentHugePages"}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib/pgbouncer.sh
source "$ROOT/bench/lib/pgbouncer.sh"
# shellcheck source=bench/lib/launcher.sh
source "$ROOT/bench/lib/launcher.sh"
WORK=$(mktemp -d /tmp/vxbench.XXXXXX)
PIDS=()

default_targets="direct vxpool vxpool-lb"
command -v pgpool >/dev/null 2>&1 && default_targets="$default_targets pgpool"
command -v pgbouncer >/dev/null 2>&1 && default_targets="$default_targets pgbouncer"
TARGETS=${TARGETS:-$default_targets}
VXPOOL_VARIANTS=${VXPOOL_VARIANTS:-}
declare -A VARIANT_OPTS VARIANT_PREFIX VARIANT_TREE
IFS=';' read -ra vlist <<<"$VXPOOL_VARIANTS"
for v in "${vlist[@]}"; do
  IFS='|' read -r vname vopts vprefix vtree <<<"$v"
  VARIANT_OPTS[vxpool-$vname]=$vopts; VARIANT_PREFIX[vxpool-$vname]=${vprefix:-}; TARGETS="$TARGETS vxpool-$vname"
  VARIANT_TREE[vxpool-$vname]=${vtree:-}
done
# launcher variants in transaction mode: "NAME|java options|pgpool.conf lines (';' is not a separator here: use ',')"
LAUNCHER_VARIANTS=${LAUNCHER_VARIANTS:-}
declare -A LVARIANT_OPTS LVARIANT_CONF
IFS=';' read -ra vlist <<<"$LAUNCHER_VARIANTS"
for v in "${vlist[@]}"; do
  IFS='|' read -r vname vopts vconf <<<"$v"
  LVARIANT_OPTS[vxpool-launcher-tx-$vname]=$vopts; LVARIANT_CONF[vxpool-launcher-tx-$vname]=${vconf//,/;}
  TARGETS="$TARGETS vxpool-launcher-tx-$vname"
done

# 10,000 sockets on each side of the proxy, plus the JVMs' own files
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

cleanup() {
  exec 4>&- 2>/dev/null || true
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for b in pgbouncer pgbouncer-tx; do
    [ -f "$WORK/$b/pgbouncer.pid" ] && kill "$(cat "$WORK/$b/pgbouncer.pid")" 2>/dev/null || true
  done
  [ -f "$WORK/standby/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $WORK/standby -m immediate stop" >/dev/null 2>&1 || true
  [ -f "$WORK/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $WORK/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_opts() { echo "-p $1 -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=$PG_MAX_CONNECTIONS -c shared_buffers=256MB -c fsync=off"; }

if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(load)"
PG_PORT=$(free_port)
echo "== PostgreSQL primary on $PG_PORT (data in $WORK/data)"
as_pg "$PGBIN/initdb -D $WORK/data -U postgres -A trust" >"$WORK/initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl -D $WORK/data -l $WORK/pg.log -w start -o \"$(pg_opts "$PG_PORT")\"" >/dev/null
"$PGBIN/pgbench" -q -i -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >"$WORK/pgbench-init.log" 2>&1

declare -A PORT PID
PORT[direct]=$PG_PORT

echo "== building vxpool (test classpath)"
(cd "$ROOT" && mvn -B -q -pl proxy-verticle -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/mvn.log" 2>&1) || { cat "$WORK/mvn.log"; exit 1; }
CP="$ROOT/proxy-verticle/target/classes:$ROOT/proxy-verticle/target/test-classes:$(cat "$WORK/cp.txt")"

# start_vxpool NAME PORT [java options...] -- BACKENDS...
start_vxpool() {
  local name=$1 port=$2; shift 2
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
  local cp=$CP tree=${VARIANT_TREE[$name]:-}
  if [ -n "$tree" ]; then cp="$tree/proxy-verticle/target/classes:$tree/proxy-verticle/target/test-classes:$tree/common/target/classes:$CP"; fi
  # shellcheck disable=SC2086 # VXPOOL_JAVA_OPTS and a variant's prefix are lists of words on purpose
  ${VARIANT_PREFIX[$name]:-} java $VXPOOL_JAVA_OPTS "${opts[@]}" -cp "$cp" org.vxpool.proxy.bench.StandaloneProxy "$port" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!); PID[$name]=$!; PORT[$name]=$port
}

if has_target vxpool-lb; then
  SB_PORT=$(free_port)
  echo "== standby on $SB_PORT"
  as_pg "$PGBIN/pg_basebackup -h 127.0.0.1 -p $PG_PORT -U postgres -D $WORK/standby -R -X stream -c fast" >"$WORK/basebackup.log" 2>&1
  as_pg "$PGBIN/pg_ctl -D $WORK/standby -l $WORK/standby.log -w start -o \"$(pg_opts "$SB_PORT")\"" >/dev/null
  start_vxpool vxpool-lb "$(free_port)" -Dload_balance=true -- "127.0.0.1:$PG_PORT" "127.0.0.1:$SB_PORT"
fi
if has_target vxpool; then start_vxpool vxpool "$(free_port)" -- "127.0.0.1:$PG_PORT"; fi
if has_target vxpool-uds; then start_vxpool vxpool-uds "$(free_port)" -- "$WORK:$PG_PORT"; fi
if has_target vxpool-1loop; then start_vxpool vxpool-1loop "$(free_port)" -Dinstances=1 -- "127.0.0.1:$PG_PORT"; fi
for t in "${!VARIANT_OPTS[@]}"; do
  # shellcheck disable=SC2086 # an option list is a list of words on purpose
  start_vxpool "$t" "$(free_port)" ${VARIANT_OPTS[$t]} -- "127.0.0.1:$PG_PORT"
done
# transaction pooling: default_pool_size is per event loop, so split TX_POOL_SIZE over the loops
if has_target vxpool-tx; then
  start_vxpool vxpool-tx "$(free_port)" -Dpool_mode=transaction \
    -Ddefault_pool_size=$(( (TX_POOL_SIZE + $(nproc) - 1) / $(nproc) )) -- "127.0.0.1:$PG_PORT"
fi

# vxpool as users run it; default_pool_size is per event loop (one loop in transaction mode on 1-2 cores)
for t in vxpool-launcher vxpool-launcher-tx; do
  if has_target $t; then
    [ -f "$WORK/mvn-launcher.log" ] || { echo "== building the fat jar"; build_launcher_jar "$ROOT" "$WORK/mvn-launcher.log"; }
    PORT[$t]=$(free_port)
    start_launcher_at "$WORK/$t" "${PORT[$t]}" "$PG_PORT" "$([ $t = vxpool-launcher ] && echo session || echo transaction)" \
      "$(launcher_tx_pool_size "$TX_POOL_SIZE")" "${LAUNCHER_CONF:-}"
    PIDS+=("$LAUNCHER_PID"); PID[$t]=$LAUNCHER_PID
  fi
done
for t in "${!LVARIANT_OPTS[@]}"; do
  [ -f "$WORK/mvn-launcher.log" ] || { echo "== building the fat jar"; build_launcher_jar "$ROOT" "$WORK/mvn-launcher.log"; }
  PORT[$t]=$(free_port)
  VXPOOL_JAVA_OPTS="$VXPOOL_JAVA_OPTS ${LVARIANT_OPTS[$t]}" start_launcher_at "$WORK/$t" "${PORT[$t]}" "$PG_PORT" transaction \
    "$(launcher_tx_pool_size "$TX_POOL_SIZE")" "${LAUNCHER_CONF:-}${LAUNCHER_CONF:+;}${LVARIANT_CONF[$t]}"
  PIDS+=("$LAUNCHER_PID"); PID[$t]=$LAUNCHER_PID
done

for r in relay relay2; do
  if has_target $r; then
    [ -x "$WORK/relay" ] || cc -O2 -o "$WORK/relay" "$ROOT/bench/lib/relay.c" -lpthread
    PORT[$r]=$(free_port)
    "$WORK/relay" "${PORT[$r]}" "$PG_PORT" "$([ $r = relay ] && echo 1 || echo 2)" >"$WORK/$r.log" 2>&1 &
    PIDS+=($!); PID[$r]=$!
  fi
done

for r in txmux txmux-pipe; do
  if has_target $r; then
    [ -x "$WORK/txmux" ] || cc -O2 -o "$WORK/txmux" "$ROOT/bench/lib/txmux.c"
    PORT[$r]=$(free_port)
    "$WORK/txmux" "${PORT[$r]}" "$PG_PORT" "$TX_POOL_SIZE" "$([ $r = txmux ] && echo 1 || echo "${TXMUX_DEPTH:-4}")" >"$WORK/$r.log" 2>&1 &
    PIDS+=($!); PID[$r]=$!
  fi
done

if has_target pgpool; then
  PORT[pgpool]=$(free_port)
  mkdir -p "$WORK/pgpool"
  # num_init_children: one child per client at the RSS step (pgpool queues clients beyond it)
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
num_init_children = $(( RSS_CLIENTS > 32 ? RSS_CLIENTS : 32 ))
max_pool = 1
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
  PIDS+=($!); PID[pgpool]=$!
fi

# start_pgbouncer NAME POOL_MODE
start_pgbouncer() {
  local name=$1 mode=$2 dir="$WORK/$1"
  PORT[$name]=$(free_port)
  start_pgbouncer_at "$dir" "${PORT[$name]}" "$PG_PORT" "$mode" "$3" 2000 >"$WORK/$name.log" 2>&1 || echo "!! $name failed to start"
}
# session pooling, like vxpool
if has_target pgbouncer; then start_pgbouncer pgbouncer "${PGBOUNCER_POOL_MODE:-session}" $(( RSS_CLIENTS > 40 ? RSS_CLIENTS : 40 )); fi
# transaction pooling over TX_POOL_SIZE backends, like vxpool-tx (1.18 fails pgbench -M prepared here)
if has_target pgbouncer-tx; then start_pgbouncer pgbouncer-tx transaction "$TX_POOL_SIZE"; fi

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
    echo "!! $t does not answer queries; see its log in $WORK"
  fi
done
for b in pgbouncer pgbouncer-tx; do
  if [ -f "$WORK/$b/pgbouncer.pid" ]; then PID[$b]=$(cat "$WORK/$b/pgbouncer.pid"); fi
done
grep -h "listening" "$WORK"/vxpool*.log 2>/dev/null | sed 's/^/   /' || true

mode_args() {
  case $1 in
    select-simple)   echo "-S -M simple -c 16 -j 2" ;;
    select-extended) echo "-S -M extended -c 16 -j 2" ;;
    select-prepared) echo "-S -M prepared -c 16 -j 2" ;;
    tpcb)            echo "-c 8 -j 2" ;;
    tpcb-extended)   echo "-M extended -c 8 -j 2" ;;
    tpcb-prepared)   echo "-M prepared -c 8 -j 2" ;;
    connect)         echo "-S -C -c 8 -j 2" ;;
    *) echo "unknown mode $1" >&2; exit 2 ;;
  esac
}

# warm-up (JIT, pools) before measuring: every mode of the run, so that round 1 does not pay for
# compiling the paths of the modes a prepared-only warm-up never ran (session 9: vxpool-tx's first
# select-simple round was 20 % below its others)
for t in "${ACTIVE[@]}"; do
  for mode in ${MODES:-select-prepared}; do
    case "$t:$mode" in txmux*:tpcb*|txmux*:select-prepared) continue ;; esac
    # shellcheck disable=SC2046
    "$PGBIN/pgbench" $(mode_args "$mode") -T "$WARMUP" -h 127.0.0.1 -p "${PORT[$t]}" -U postgres postgres >/dev/null 2>&1 || true
  done
done

RESULTS="$WORK/results.txt"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    for t in "${ACTIVE[@]}"; do
      # txmux frames units without knowing transactions or named statements: in TPC-B it would
      # leave transactions open whose row locks block every later run
      case "$t:$mode" in txmux*:tpcb*|txmux*:select-prepared) continue ;; esac
      # shellcheck disable=SC2046
      out=$("$PGBIN/pgbench" $(mode_args "$mode") -T "$DURATION" -h 127.0.0.1 -p "${PORT[$t]}" -U postgres postgres 2>&1 || true)
      tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
      failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
      echo "round $round $mode $t tps=${tps:-0} failed=${failed:-?} load=$(load)"
      echo "$mode $t ${tps:-0} ${failed:-?}" >>"$RESULTS"
    done
  done
done

# RSS in MiB of a process and its children (pgpool forks one per client slot; summed RSS counts
# shared pages once per process, as ps does)
rss_mib() {
  local pid=$1
  { ps -o rss= -p "$pid" || true; ps -o rss= --ppid "$pid" || true; } 2>/dev/null | awk '{s+=$1} END {printf "%.0f", s/1024}'
}

RSS_LINES=()
if [ "$RSS_CLIENTS" -gt 0 ]; then
  for t in "${ACTIVE[@]}"; do
    if [ "$t" = direct ]; then continue; fi
    "$PGBIN/pgbench" -S -M prepared -c "$RSS_CLIENTS" -j 2 -T 6 -h 127.0.0.1 -p "${PORT[$t]}" -U postgres postgres >"$WORK/rss-$t.out" 2>&1 &
    bench=$!
    peak=0
    for _ in 1 2 3 4 5; do
      sleep 1
      r=$(rss_mib "${PID[$t]}")
      if [ "${r:-0}" -gt "$peak" ]; then peak=$r; fi
    done
    wait "$bench" || true
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/rss-$t.out" | head -1)
    RSS_LINES+=("| $t | $RSS_CLIENTS | $peak | ${tps%.*} |")
  done
fi

if [ -n "${MODES// /}" ]; then
echo
echo "== medians over $ROUNDS rounds of ${DURATION}s (scale $SCALE, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average now $(load))"
python3 - "$RESULTS" "${ACTIVE[*]}" "$MODES" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
targets = sys.argv[2].split()
modes = sys.argv[3].split()
data, failed = {}, {}
for mode, t, tps, f in rows:
    data.setdefault((mode, t), []).append(float(tps))
    if f not in ("0", "?"):
        failed[(mode, t)] = failed.get((mode, t), 0) + int(f)
others = [t for t in targets if t != "direct"]
print("| mode | " + " | ".join(f"{t} tps (min–max)" for t in targets) + " | "
      + " | ".join(f"{t}/direct" for t in others) + " |")
print("|---" * (1 + len(targets) + len(others)) + "|")
for m in modes:
    vals = {t: data.get((m, t), [0]) for t in targets}
    med = {t: statistics.median(v) for t, v in vals.items()}
    base = med.get("direct") or 0
    cells = [f"{med[t]:.0f} ({min(vals[t]):.0f}–{max(vals[t]):.0f})" for t in targets]
    ratios = [f"{med[t] / base:.2f}x" if base else "-" for t in others]
    print(f"| {m} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
for (m, t), f in sorted(failed.items()):
    print(f"!! {t} {m}: {f} failed transactions")
PY
fi
if [ ${#RSS_LINES[@]} -gt 0 ]; then
  echo
  echo "== RSS of each proxy at $RSS_CLIENTS clients (pgbench -S -M prepared -c $RSS_CLIENTS, peak of 5 samples; pgpool: sum over its processes)"
  echo "| proxy | clients | RSS MiB | tps |"
  echo "|---|---|---|---|"
  printf '%s\n' "${RSS_LINES[@]}"
fi

# ---- scenario 2: many idle clients against one vxpool ----
[ "$IDLE_CLIENTS" -gt 0 ] || exit 0
# free the backends the first scenario's proxies hold
for t in relay relay2 txmux txmux-pipe vxpool vxpool-launcher vxpool-launcher-tx vxpool-1loop vxpool-uds vxpool-lb vxpool-tx pgpool pgbouncer pgbouncer-tx "${!VARIANT_OPTS[@]}" "${!LVARIANT_OPTS[@]}"; do
  if [ -n "${PID[$t]:-}" ]; then kill "${PID[$t]}" 2>/dev/null || true; fi
done
sleep 2
n=$IDLE_CLIENTS
if [ "$POOL_MODE" = session ]; then
  # session pooling: one backend per client; leave room for pgbench and psql
  cap=$(( PG_MAX_CONNECTIONS - 40 ))
  if [ "$n" -gt "$cap" ]; then
    echo "== session pooling needs a backend per client: capping $n idle clients to $cap (max_connections $PG_MAX_CONNECTIONS)"
    n=$cap
  fi
fi
IDLE_PORT=$(free_port)
start_vxpool vxpool-idle "$IDLE_PORT" -Dpool_mode="$POOL_MODE" -Dnum_init_children=$(( n + 100 )) -Dmax_pool=4 -- "127.0.0.1:$PG_PORT"
wait_ready vxpool-idle "$IDLE_PORT" || { cat "$WORK/vxpool-idle.log"; exit 1; }
"$PGBIN/pgbench" -S -M prepared -c 16 -j 2 -T 5 -h 127.0.0.1 -p "$IDLE_PORT" -U postgres postgres >/dev/null 2>&1 || true
idle_bench() {
  "$PGBIN/pgbench" -S -M prepared -c 16 -j 2 -T "$DURATION" -h 127.0.0.1 -p "$IDLE_PORT" -U postgres postgres 2>&1 \
    | awk '/^latency average/ {lat=$4} /^tps =/ {tps=$3} END {printf "%s ms, %.0f tps", lat, tps}'
}
psql_ms() {
  local t0; t0=$(date +%s%N)
  "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$IDLE_PORT" -U postgres -c 'SELECT 1' postgres >/dev/null 2>&1 || echo -n "(psql failed) "
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
rss0=$(rss_mib "${PID[vxpool-idle]}")
before="$(idle_bench)"
psql0=$(psql_ms)
mkfifo "$WORK/idle.in"
java -Xmx512m -Dsources="$IDLE_SOURCES" -cp "$CP" org.vxpool.proxy.bench.IdleClients 127.0.0.1 "$IDLE_PORT" "$n" <"$WORK/idle.in" >"$WORK/idle.log" 2>&1 &
PIDS+=($!)
exec 4>"$WORK/idle.in"
for _ in $(seq 1 600); do grep -q '^READY' "$WORK/idle.log" && break; sleep 0.5; done
ready=$(grep '^READY' "$WORK/idle.log" || echo "READY ? ? (timed out; see $WORK/idle.log)")
sleep 2
rss1=$(rss_mib "${PID[vxpool-idle]}")
during="$(idle_bench)"
psql1=$(psql_ms)
rss2=$(rss_mib "${PID[vxpool-idle]}")
exec 4>&-
echo
echo "== idle clients: vxpool pool_mode=$POOL_MODE, $n idle clients from $IDLE_SOURCES ($(date -u +%Y-%m-%dT%H:%MZ), load average $(load))"
echo "   IdleClients: $ready (ok, failed)"
echo "| | vxpool RSS MiB | pgbench -S -M prepared -c16 | new psql connection ms |"
echo "|---|---|---|---|"
echo "| no idle clients | $rss0 | $before | $psql0 |"
echo "| $n idle clients | $rss1 (after pgbench: $rss2) | $during | $psql1 |"
