# Shared by the bench scripts: one PgBouncer 1.18 (Debian package) in front of the benchmark's
# PostgreSQL, trust authentication on 127.0.0.1, started through the caller's as_pg.
#
#   start_pgbouncer_at DIR PORT PG_PORT POOL_MODE DEFAULT_POOL_SIZE MAX_CLIENT_CONN
# writes DIR/pgbouncer.ini, starts the daemon (pid in DIR/pgbouncer.pid, log in DIR/pgbouncer.log)
# and returns its exit status.
start_pgbouncer_at() {
  local dir=$1 port=$2 pg_port=$3 mode=$4 pool_size=$5 max_clients=$6
  mkdir -p "$dir"
  echo '"postgres" ""' >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<CONF
[databases]
postgres = host=127.0.0.1 port=$pg_port dbname=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = $mode
max_client_conn = $max_clients
default_pool_size = $pool_size
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
CONF
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi
  as_pg "pgbouncer -d $dir/pgbouncer.ini"
}
