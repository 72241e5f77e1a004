# Shared by the bench scripts: vxpool as users run it, `bin/vxpool -f pgpool.conf` on the fat jar
# (launcher/target/vxpool.jar): proxy instances per core, the watchdog verticle's health and SR
# checks, the admin API with Micrometer metrics, logback to the logdir. One backend, as the
# StandaloneProxy targets: trust (enable_pool_hba off, as pgpool's default), no load balancing.
#
#   build_launcher_jar ROOT LOG   mvn -pl launcher -am package -DskipTests (never install)
#   start_launcher_at DIR PORT PG_PORT POOL_MODE DEFAULT_POOL_SIZE [EXTRA_CONF]
# writes DIR/pgpool.conf (logdir and pid file in DIR, free admin and pcp ports, health checks every
# 5 s as the tutorial's sample, sr_check at its default 10 s), starts the node in the background
# with the caller's VXPOOL_JAVA_OPTS and sets LAUNCHER_PID to its JVM's pid (bin/vxpool execs
# java). EXTRA_CONF is more pgpool.conf lines separated by ';' ("load_balance_mode = on"); later
# lines win. The caller stops it by that pid and waits for it to answer (pg_isready, psql).
# launcher_tx_pool_size TOTAL: the default_pool_size that gives TOTAL backend connections in all to a
# launcher in transaction mode, which runs one event loop per core, or one on 1-2 cores (EventLoops)
launcher_tx_pool_size() {
  local loops; loops=$(nproc)
  [ "$loops" -le 2 ] && loops=1
  echo $(( ($1 + loops - 1) / loops ))
}

build_launcher_jar() {
  (cd "$1" && mvn -B -q -pl launcher -am package -DskipTests >"$2" 2>&1) || { cat "$2"; return 1; }
}

start_launcher_at() {
  local dir=$1 port=$2 pg_port=$3 mode=$4 pool_size=$5 extra=${6:-}
  mkdir -p "$dir/log"
  cat >"$dir/pgpool.conf" <<CONF
backend_clustering_mode = 'streaming_replication'
listen_addresses = '127.0.0.1'
port = $port
pcp_listen_addresses = '127.0.0.1'
pcp_port = $(free_port)
admin_listen_addresses = '127.0.0.1'
admin_port = $(free_port)
use_watchdog = off
logdir = '$dir/log'
pid_file_name = '$dir/vxpool.pid'
backend_hostname0 = '127.0.0.1'
backend_port0 = $pg_port
backend_weight0 = 1
num_init_children = 256
max_pool = 4
pool_mode = '$mode'
default_pool_size = $pool_size
load_balance_mode = off
health_check_period = 5
health_check_user = 'postgres'
sr_check_user = 'postgres'
CONF
  local lines line
  IFS=';' read -ra lines <<<"$extra"
  for line in "${lines[@]}"; do echo "$line" >>"$dir/pgpool.conf"; done
  # bin/vxpool adds the same heap and GC defaults as VXPOOL_JAVA_OPTS's; exec keeps the pid
  VXPOOL_JAVA_OPTS="$VXPOOL_JAVA_OPTS" "$ROOT/bin/vxpool" -f "$dir/pgpool.conf" >"$dir/vxpool.out" 2>&1 &
  LAUNCHER_PID=$!
}
