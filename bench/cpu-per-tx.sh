#!/usr/bin/env bash
# CPU cost of a proxy per transaction, at a fixed pgbench rate (docs/BENCHMARKS.md, issue 9).
#
# tps ratios on this shared 2-core machine move with everyone else's load; the CPU a proxy spends
# per transaction at a fixed rate does not (much). This script starts its own PostgreSQL 15, one
# or more vxpool JVMs (org.vxpool.proxy.bench.StandaloneProxy, as bench/pgbench-compare.sh) and
# optionally PgBouncer and vxpool as users run it (bin/vxpool -f pgpool.conf, LAUNCHER), runs pgbench at a fixed rate (-R) against each in interleaved rounds, and
# reports each proxy process's CPU per transaction: user and system time from /proc/PID/stat
# (clock ticks, sampled by the kernel), the total from the threads' schedstat (nanoseconds; threads
# that exit during a run, such as JIT compiler threads, are missing from it), and how often the
# proxy's threads were scheduled in per transaction (each wake-up costs two context switches),
# and PostgreSQL's CPU per transaction (postmaster and children, /proc; with PARALLEL=1 one figure
# for all targets together, since they share the server).
#
#   bench/cpu-per-tx.sh
#   MODES="prepared connect" ROUNDS=3 DURATION=20 bench/cpu-per-tx.sh
#   VARIANTS="base|;uring|-Dtransport=io_uring" bench/cpu-per-tx.sh   # two vxpool JVMs side by side
#   VARIANTS="main||/tmp/main-tree;branch|" bench/cpu-per-tx.sh      # main's classes against this tree's
#   PARALLEL=1 PGBOUNCER=0 VARIANTS="main||/tmp/main-tree;branch|" bench/cpu-per-tx.sh  # paired A/B
#   STRACE=1 MODES=prepared bench/cpu-per-tx.sh                        # + syscalls per transaction
#   PGBOUNCER_POOL_MODE=transaction VARIANTS="vxpool-tx|-Dpool_mode=transaction -Ddefault_pool_size=4" \
#     MODES="simple extended tpcb" bench/cpu-per-tx.sh                # transaction pooling, 8 backends each
#   STANDBY=1 PARALLEL=1 PGBOUNCER=0 MODES="simple extended prepared" bench/cpu-per-tx.sh  # vxpool vs vxpool-lb
#   PARALLEL=1 PGBOUNCER=0 LAUNCHER=1 bench/cpu-per-tx.sh              # StandaloneProxy vs bin/vxpool
#   PARALLEL=1 PGBOUNCER=0 LAUNCHER=transaction MODES="simple extended tpcb" \
#     VARIANTS="vxpool-tx|-Dpool_mode=transaction -Ddefault_pool_size=4" bench/cpu-per-tx.sh
#
# Options (environment):
#   MODES      simple extended prepared (pgbench -S -M ... -c16 -j2 -R RATE) and connect
#              (-S -C -c8 -j2 -R CONNECT_RATE), tpcb (-c8 -j2 -R TPCB_RATE); default
#              "simple extended prepared connect"
#   RATE (2000), TPCB_RATE (500), CONNECT_RATE (400): pgbench -R; 0 runs as fast as possible (CPU
#   per tx at saturation), DURATION seconds per run (15), ROUNDS (2), SCALE (10),
#   WARMUP seconds per mode and JVM before the rounds (8; connect gets three times that)
#   PARALLEL   1: run pgbench against every target at the same time (each at the full rate), so
#              every target sees the same machine load; best for A/B comparisons of variants
#   VARIANTS   vxpool JVMs to compare, "name|java options[|source tree[|command prefix]];..." (default
#              "vxpool|"); a source tree's proxy-verticle and common classes go first on that JVM's
#              class path; a prefix runs the JVM under a command ("batch|||chrt -b 0")
#   PGBOUNCER  1 (default, when installed) adds PgBouncer 1.18 in session mode
#   LAUNCHER   pool modes of vxpool as users run it, bin/vxpool -f pgpool.conf on the fat jar (built
#              once; bench/lib/launcher.sh writes the pgpool.conf: one backend, trust, no balancing,
#              health checks every 5 s, SR checks, admin API and metrics on): "session" (or 1) adds
#              target "launcher", "transaction" adds "launcher-tx" (PGBOUNCER_POOL_SIZE backends in
#              all: default_pool_size divided over the launcher's event loops, one on 1-2 cores); LAUNCHER_CONF: more pgpool.conf
#              lines for both, separated by ';' ("load_balance_mode = on")
#   RELAY      1 adds bench/lib/relay.c with one epoll loop (target "relay"): a TCP relay that
#              parses nothing, so its CPU per transaction is the floor of the extra socket hop
#   TXMUX      1 adds bench/lib/txmux.c over PGBOUNCER_POOL_SIZE (8) connections, without ("txmux")
#              and with ("txmux-pipe", TXMUX_DEPTH 4) pipelining: the least a transaction pooler
#              does (simple and extended modes only)
#   PGBOUNCER_POOL_MODE  its pool_mode (session); with transaction its pool is PGBOUNCER_POOL_SIZE
#              (8, as pgbench-compare.sh's pgbouncer-tx; vxpool-tx's default_pool_size is per
#              event loop: 4 on 2 cores); 1.18 fails -M prepared in transaction mode
#   VXPOOL_JAVA_OPTS  flags of every vxpool JVM (-Xms64m -Xmx512m -XX:+UseSerialGC -XX:+UseTransparentHugePages,
#              as bin/vxpool)
#   STANDBY    1: also build a streaming standby of the primary (as pgbench-compare.sh); variants
#              whose options contain -Dload_balance=true get primary and standby as backends, and
#              VARIANTS defaults to "vxpool|;vxpool-lb|-Dload_balance=true"
#   EXCLUDE_JIT  1: the total (schedstat) leaves out the C1/C2 compiler threads, so a JVM still
#              compiling its hot path (minutes on a loaded machine) is not charged for it; user and
#              system time (/proc/PID/stat) still include them
#   IDLE       seconds (0): after the warm-up, each proxy's CPU with no client at all, per second
#              of wall time (background work: health and SR checks, timers, metrics, GC)
#   STRACE     1: after the rounds, one run per mode and proxy under strace -c -f (syscalls/tx;
#              strace slows the proxy, so its CPU figures are not kept)
#   KEEP       a directory: the proxies' logs, pgbench's last output per target and the strace
#              tables are copied there at the end (TXMUX_STATS=1 makes txmux log its pipelining
#              counts, see bench/lib/txmux.c)
set -Eeuo pipefail
trap 'echo "!! $0: line $LINENO: $BASH_COMMAND failed" >&2' ERR

MODES=${MODES-"simple extended prepared connect"}
RATE=${RATE:-2000}
CONNECT_RATE=${CONNECT_RATE:-400}
TPCB_RATE=${TPCB_RATE:-500}
PGBOUNCER_POOL_MODE=${PGBOUNCER_POOL_MODE:-session}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-8}
PARALLEL=${PARALLEL:-0}
ROUNDS=${ROUNDS:-2}
SCALE=${SCALE:-10}
STANDBY=${STANDBY:-0}
EXCLUDE_JIT=${EXCLUDE_JIT:-0}
if [ "$STANDBY" = 1 ]; then VARIANTS=${VARIANTS:-"vxpool|;vxpool-lb|-Dload_balance=true"}; fi
VARIANTS=${VARIANTS:-"vxpool|"}
VXPOOL_JAVA_OPTS=${VXPOOL_JAVA_OPTS:-"-Xms64m -Xmx512m -XX:+UseSerialGC -XX:+UseTransparentHugePages"}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if command -v pgbouncer >/dev/null 2>&1; then PGBOUNCER=${PGBOUNCER:-1}; else PGBOUNCER=0; fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib/pgbouncer.sh
source "$ROOT/bench/lib/pgbouncer.sh"
# shellcheck source=bench/lib/launcher.sh
source "$ROOT/bench/lib/launcher.sh"
WORK=$(mktemp -d /tmp/vxcpu.XXXXXX)
PIDS=()
TICK=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer/pgbouncer.pid")" 2>/dev/null || true
  [ -f "$WORK/standby/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $WORK/standby -m immediate stop" >/dev/null 2>&1 || true
  [ -f "$WORK/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl -D $WORK/data -m immediate stop" >/dev/null 2>&1 || true
  if [ -n "${KEEP:-}" ]; then
    mkdir -p "$KEEP" && cp "$WORK"/*.log "$WORK"/pgbench.* "$KEEP"/ 2>/dev/null || true
    cp "$WORK"/strace-* "$KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; fi
echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(load), rev $(cd "$ROOT" && git rev-parse --short HEAD)"
PG_PORT=$(free_port)
pg_opts() { echo "-p $1 -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=off"; }
as_pg "$PGBIN/initdb -D $WORK/data -U postgres -A trust" >"$WORK/initdb.log" 2>&1
as_pg "$PGBIN/pg_ctl -D $WORK/data -l $WORK/pg.log -w start -o \"$(pg_opts "$PG_PORT")\"" >/dev/null
"$PGBIN/pgbench" -q -i -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >"$WORK/pgbench-init.log" 2>&1
BACKENDS_LB=("127.0.0.1:$PG_PORT")
if [ "$STANDBY" = 1 ]; then
  SB_PORT=$(free_port)
  echo "== standby on $SB_PORT"
  as_pg "$PGBIN/pg_basebackup -h 127.0.0.1 -p $PG_PORT -U postgres -D $WORK/standby -R -X stream -c fast" >"$WORK/basebackup.log" 2>&1
  as_pg "$PGBIN/pg_ctl -D $WORK/standby -l $WORK/standby.log -w start -o \"$(pg_opts "$SB_PORT")\"" >/dev/null
  BACKENDS_LB+=("127.0.0.1:$SB_PORT")
fi

(cd "$ROOT" && mvn -B -q -pl proxy-verticle -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/mvn.log" 2>&1) || { cat "$WORK/mvn.log"; exit 1; }
CP="$ROOT/proxy-verticle/target/classes:$ROOT/proxy-verticle/target/test-classes:$(cat "$WORK/cp.txt")"
if [[ "$VARIANTS" == *io_uring* ]]; then
  # not a project dependency: fetched on demand, same Netty version as the class path
  nv=$(tr ':' '\n' <"$WORK/cp.txt" | sed -n 's#.*/netty-transport/\([^/]*\)/.*#\1#p' | head -1)
  for a in netty-transport-classes-io_uring:"$nv" netty-transport-native-io_uring:"$nv":jar:linux-x86_64; do
    mvn -B -q dependency:get -Dartifact="io.netty:$a" -Dtransitive=false >/dev/null 2>&1 || true
  done
  CP="$CP:$HOME/.m2/repository/io/netty/netty-transport-classes-io_uring/$nv/netty-transport-classes-io_uring-$nv.jar"
  CP="$CP:$HOME/.m2/repository/io/netty/netty-transport-native-io_uring/$nv/netty-transport-native-io_uring-$nv-linux-x86_64.jar"
fi

declare -A PORT PID
NAMES=()
IFS=';' read -ra VLIST <<<"$VARIANTS"
for v in "${VLIST[@]}"; do
  IFS='|' read -r name opts tree prefix <<<"$v"
  vcp=$CP
  if [ -n "${tree:-}" ]; then
    # another source tree (e.g. `git archive main | tar -x -C DIR`, built with test-compile)
    vcp="$tree/proxy-verticle/target/classes:$tree/proxy-verticle/target/test-classes:$tree/common/target/classes:$CP"
  fi
  PORT[$name]=$(free_port)
  backends=("127.0.0.1:$PG_PORT")
  if [[ "$opts" == *-Dload_balance=true* ]]; then backends=("${BACKENDS_LB[@]}"); fi
  # shellcheck disable=SC2086 # option lists and the prefix are word lists on purpose
  ${prefix:-} java $VXPOOL_JAVA_OPTS $opts -cp "$vcp" org.vxpool.proxy.bench.StandaloneProxy "${PORT[$name]}" "${backends[@]}" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!); PID[$name]=$!; NAMES+=("$name")
done
if [ "${RELAY:-0}" = 1 ]; then
  cc -O2 -o "$WORK/relay" "$ROOT/bench/lib/relay.c" -lpthread
  PORT[relay]=$(free_port)
  "$WORK/relay" "${PORT[relay]}" "$PG_PORT" 1 >"$WORK/relay.log" 2>&1 &
  PIDS+=($!); PID[relay]=$!; NAMES+=(relay)
fi
if [ "${TXMUX:-0}" = 1 ]; then
  cc -O2 -o "$WORK/txmux" "$ROOT/bench/lib/txmux.c"
  for t in txmux txmux-pipe; do
    PORT[$t]=$(free_port)
    "$WORK/txmux" "${PORT[$t]}" "$PG_PORT" "${PGBOUNCER_POOL_SIZE:-8}" "$([ $t = txmux ] && echo 1 || echo "${TXMUX_DEPTH:-4}")" >"$WORK/$t.log" 2>&1 &
    PIDS+=($!); PID[$t]=$!; NAMES+=($t)
  done
fi
LAUNCHER=${LAUNCHER:-}
if [ -n "$LAUNCHER" ]; then build_launcher_jar "$ROOT" "$WORK/mvn-launcher.log"; fi
for lm in $LAUNCHER; do
  case $lm in
    1|session) t=launcher; lm=session ;;
    transaction) t=launcher-tx ;;
    *) echo "LAUNCHER: expected session, transaction or 1, got $lm" >&2; exit 2 ;;
  esac
  PORT[$t]=$(free_port)
  start_launcher_at "$WORK/$t" "${PORT[$t]}" "$PG_PORT" "$lm" \
    "$(launcher_tx_pool_size "${PGBOUNCER_POOL_SIZE:-8}")" "${LAUNCHER_CONF:-}"
  PIDS+=("$LAUNCHER_PID"); PID[$t]=$LAUNCHER_PID; NAMES+=("$t")
  ln -s "$t/vxpool.out" "$WORK/$t.log"
done
if [ "$PGBOUNCER" = 1 ]; then
  d="$WORK/pgbouncer"; PORT[pgbouncer]=$(free_port)
  start_pgbouncer_at "$d" "${PORT[pgbouncer]}" "$PG_PORT" "$PGBOUNCER_POOL_MODE" \
    "$([ "$PGBOUNCER_POOL_MODE" = session ] && echo 40 || echo "${PGBOUNCER_POOL_SIZE:-8}")" 200 >"$WORK/pgbouncer.log" 2>&1
  sleep 0.5; PID[pgbouncer]=$(cat "$d/pgbouncer.pid"); NAMES+=(pgbouncer)
fi
for n in "${NAMES[@]}"; do
  for _ in $(seq 1 120); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "${PORT[$n]}" -U postgres && break; sleep 0.5; done
  "$PGBIN/psql" -X -q -h 127.0.0.1 -p "${PORT[$n]}" -U postgres -c 'SELECT 1' postgres >/dev/null || { echo "!! $n does not answer"; cat "$WORK/$n.log" 2>/dev/null; exit 1; }
done
grep -h listening "$WORK"/*.log | sed 's/^/   /' || true

rate() { if [ "$1" != 0 ]; then echo "-R $1"; fi; }
mode_args() {
  case $1 in
    simple|extended|prepared) echo "-S -M $1 -c 16 -j 2 $(rate "$RATE")" ;;
    connect) echo "-S -C -c 8 -j 2 $(rate "$CONNECT_RATE")" ;;
    tpcb) echo "-c 8 -j 2 $(rate "$TPCB_RATE")" ;;
    *) echo "unknown mode $1" >&2; exit 2 ;;
  esac
}
# every thread's schedstat line; with EXCLUDE_JIT=1 not the JIT compiler threads. A thread may
# exit between the listing and the read (C2 compiler threads come and go): not a failure, or
# set -e ends the whole run silently in the middle of a round (sessions 5 and 6 lost runs so)
task_schedstats() {
  if [ "$EXCLUDE_JIT" = 1 ]; then
    for t in /proc/"$1"/task/*; do
      case "$(cat "$t/comm" 2>/dev/null)" in "C1 Compiler"*|"C2 Compiler"*) ;; *) cat "$t/schedstat" 2>/dev/null || true ;; esac
    done
  else
    cat /proc/"$1"/task/*/schedstat 2>/dev/null || true
  fi
}
# user ticks, system ticks, the sum of every thread's on-CPU nanoseconds and of its times
# scheduled in (a thread that wakes up to handle an event is scheduled in once; one that was
# preempted, once more when it gets the CPU back), and of its involuntary context switches
cpu_of() {
  local pid=$1
  task_schedstats "$pid" | awk -v s="$(awk '{print $14, $15}' /proc/"$pid"/stat)" \
    -v p="$(cat /proc/"$pid"/task/*/status 2>/dev/null | awk '/^nonvoluntary_ctxt_switches/ {n += $2} END {print n + 0}')" \
    '{ns += $1; runs += $3} END {print s, ns, runs, p}'
}
# PostgreSQL's CPU in µs: the postmaster's own and its reaped children's user+system ticks, plus
# those of its live children (a backend that exits moves from the second sum to the first)
pg_cpu() {
  local pm; pm=$(head -1 "$WORK/data/postmaster.pid")
  { awk '{print $14 + $15 + $16 + $17}' /proc/"$pm"/stat
    for c in $(cat /proc/"$pm"/task/*/children 2>/dev/null); do awk '{print $14 + $15}' /proc/"$c"/stat 2>/dev/null || true; done
  } | awk -v t="$TICK" '{n += $1} END {printf "%.0f\n", n / t * 1e6}'
}
run_pgbench() {
  # shellcheck disable=SC2046
  # a pgbench whose clients abort (PgBouncer 1.18 in transaction mode with -M prepared) exits 1;
  # what it processed still counts
  { "$PGBIN/pgbench" $(mode_args "$1") -T "$2" -h 127.0.0.1 -p "$3" -U postgres postgres 2>&1 || true; } \
    | tee "$WORK/pgbench.$3" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p'
}

# warm-up: JIT and pools; the connect path keeps C2 busy for ~30 s, so it gets three times as long
for n in "${NAMES[@]}"; do
  for m in $MODES; do
    w=$WARMUP; if [ "$m" = connect ]; then w=$(( WARMUP * 3 )); fi
    run_pgbench "$m" "$w" "${PORT[$n]}" >/dev/null
  done
done

if [ "${IDLE:-0}" -gt 0 ]; then
  declare -A idle0
  for n in "${NAMES[@]}"; do idle0[$n]=$(cpu_of "${PID[$n]}"); done
  sleep "$IDLE"
  echo "== idle: CPU with no clients for ${IDLE}s (load $(load))"
  echo "| proxy | user / sys / total ms per s | wake-ups per s |"
  echo "|---|---|---|"
  for n in "${NAMES[@]}"; do
    read -r u0 s0 ns0 r0 _ <<<"${idle0[$n]}"
    read -r u1 s1 ns1 r1 _ <<<"$(cpu_of "${PID[$n]}")"
    python3 -c "t=$TICK; d=$IDLE
print(f'| $n | {($u1-$u0)/t*1e3/d:.2f} / {($s1-$s0)/t*1e3/d:.2f} / {($ns1-$ns0)/1e6/d:.2f} | {($r1-$r0)/d:.0f} |')"
  done
fi

RESULTS="$WORK/results.txt"; : >"$RESULTS"
# one measured run of mode $1 against every target in $2...; with PARALLEL=1 they run at once
measure() {
  local m=$1 round=$2; shift 2
  local -A before tx pg0 pg1
  local alltx=0
  for n in "$@"; do before[$n]=$(cpu_of "${PID[$n]}"); done
  if [ "$PARALLEL" = 1 ]; then
    local jobs=() pgstart; pgstart=$(pg_cpu)
    for n in "$@"; do run_pgbench "$m" "$DURATION" "${PORT[$n]}" >"$WORK/tx.$n" & jobs+=($!); done
    wait "${jobs[@]}"
    for n in "$@"; do tx[$n]=$(cat "$WORK/tx.$n"); pg0[$n]=$pgstart; pg1[$n]=$(pg_cpu); alltx=$(( alltx + ${tx[$n]:-0} )); done
  fi
  for n in "$@"; do
    if [ "$PARALLEL" != 1 ]; then
      before[$n]=$(cpu_of "${PID[$n]}"); pg0[$n]=$(pg_cpu)
      tx[$n]=$(run_pgbench "$m" "$DURATION" "${PORT[$n]}")
      pg1[$n]=$(pg_cpu); alltx=${tx[$n]:-0}
    fi
    read -r u0 s0 ns0 r0 p0 <<<"${before[$n]}"
    read -r u1 s1 ns1 r1 p1 <<<"$(cpu_of "${PID[$n]}")"
    # with PARALLEL=1 PostgreSQL served every target at once: its CPU per transaction of them all
    line=$(python3 -c "
tx=max(int('${tx[$n]:-0}'),1); t=$TICK
u=($u1-$u0)/t*1e6/tx; s=($s1-$s0)/t*1e6/tx; tot=($ns1-$ns0)/1e3/tx; w=($r1-$r0)/tx; p=($p1-$p0)/tx
pg=(${pg1[$n]}-${pg0[$n]})/max($alltx,1)
print(f'{u:.1f} {s:.1f} {tot:.1f} {w:.2f} {p:.2f} {pg:.1f}')")
    lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$WORK/pgbench.${PORT[$n]}")
    echo "round $round $m $n tx=${tx[$n]} us/tx user/sys/total, wakeups/tx, preempted/tx, postgres us/tx=$line latency=${lat:-?}ms load=$(load)"
    echo "$m $n ${tx[$n]} $line ${lat:-0}" >>"$RESULTS"
  done
}
for round in $(seq 1 "$ROUNDS"); do
  for m in $MODES; do measure "$m" "$round" "${NAMES[@]}"; done
done

echo
echo "== CPU microseconds per transaction, median of $ROUNDS rounds (rate $RATE, connect $CONNECT_RATE, ${DURATION}s, $(date -u +%H:%MZ), load $(load))"
python3 - "$RESULTS" "${NAMES[*]}" "$MODES" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
names, modes = sys.argv[2].split(), sys.argv[3].split()
print("| mode | " + " | ".join(f"{n} user / sys / total µs (wakeups, preempted; latency ms; tx; postgres µs)" for n in names) + " |")
print("|---" * (1 + len(names)) + "|")
for m in modes:
    cells = []
    for n in names:
        rs = [r for r in rows if r[0] == m and r[1] == n]
        med = [statistics.median(float(r[i]) for r in rs) for i in (3, 4, 5, 6, 7, 9, 2, 8)]
        cells.append(" / ".join(f"{x:.1f}" for x in med[:3]) + f" ({med[3]:.2f}, {med[4]:.2f}; {med[5]:.3f}; {med[6]:.0f}; {med[7]:.0f})")
    print(f"| {m} | " + " | ".join(cells) + " |")
PY

if [ "${STRACE:-0}" = 1 ]; then
  echo
  echo "== syscalls per transaction (strace -c -f, one ${DURATION}s run per mode and proxy)"
  for m in $MODES; do
    for n in "${NAMES[@]}"; do
      strace -c -f -p "${PID[$n]}" -o "$WORK/strace-$m-$n.txt" 2>/dev/null &
      st=$!; sleep 1
      tx=$(run_pgbench "$m" "$DURATION" "${PORT[$n]}")
      kill -INT "$st"; wait "$st" 2>/dev/null || true
      echo "-- $m $n ($tx transactions)"
      awk -v tx="${tx:-1}" '$1 ~ /^[0-9.]+$/ && NF >= 5 { c = $4; name = $NF; if (c + 0 > 0) printf "   %-16s %6.2f/tx\n", name, c / tx }' "$WORK/strace-$m-$n.txt" | sort -k2 -rn | head -12
    done
  done
fi
