package org.vxpool.common.config;

import static org.vxpool.common.config.ValueTypes.BOOLEAN;
import static org.vxpool.common.config.ValueTypes.STRING;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The parameter registry: every pgpool.conf parameter vxpool knows, declared once. Names are
 * pgpool-II 4.3's; aliases are older spellings (3.x, 4.0/4.1). Times are in the unit pgpool uses
 * for the parameter (see {@link ValueType#unit()}) and accept unit suffixes ({@code 5min}).
 *
 * <p>To add a parameter: declare a constant here (in its section), document it in
 * {@code docs/CONFIG.md}. Nothing else needs to know.
 */
public final class Params {
    private Params() {
    }

    private static final boolean RESTART = true;
    private static final boolean RELOAD = false;
    private static final int MAX = Integer.MAX_VALUE;

    // Registries first: the constants below register themselves during class initialisation.
    private static final List<Param<?>> ALL = new ArrayList<>();
    private static final List<IndexedParam<?>> ALL_INDEXED = new ArrayList<>();
    private static final Map<String, Param<?>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, IndexedParam<?>> INDEXED_BY_NAME = new LinkedHashMap<>();

    // ---- Clustering mode (4.2+ name, and the 3.x switches it replaced) ----
    public static final Param<ClusteringMode> BACKEND_CLUSTERING_MODE = enumeration(
            "backend_clustering_mode", ClusteringMode.class, ClusteringMode.STREAMING_REPLICATION, RESTART);
    /** 3.x: on = master/slave mode, with the flavour in {@link #MASTER_SLAVE_SUB_MODE}. */
    public static final Param<Boolean> MASTER_SLAVE_MODE = bool("master_slave_mode", false, RESTART);
    /** 3.x: 'stream', 'slony' or 'logical'. */
    public static final Param<String> MASTER_SLAVE_SUB_MODE = register(new Param<>(
            "master_slave_sub_mode", List.of(), STRING, "slony", RESTART,
            v -> Set.of("stream", "slony", "logical").contains(v.toLowerCase(Locale.ROOT)) ? null
                    : "invalid value '" + v + "' (allowed: stream, slony, logical)"));
    /** 3.x native replication mode switch. */
    public static final Param<Boolean> REPLICATION_MODE = bool("replication_mode", false, RESTART);

    // ---- Connections ----
    public static final Param<List<String>> LISTEN_ADDRESSES = list("listen_addresses", ',', "localhost", RESTART);
    public static final Param<Integer> PORT = port("port", 9999, RESTART);
    public static final Param<String> SOCKET_DIR = string("socket_dir", "/tmp", RESTART);
    public static final Param<Integer> RESERVED_CONNECTIONS = integer("reserved_connections", 0, 0, MAX, RESTART);
    public static final Param<List<String>> PCP_LISTEN_ADDRESSES = list("pcp_listen_addresses", ',', "localhost", RESTART);
    public static final Param<Integer> PCP_PORT = port("pcp_port", 9898, RESTART);
    public static final Param<String> PCP_SOCKET_DIR = string("pcp_socket_dir", "/tmp", RESTART);
    public static final Param<Integer> LISTEN_BACKLOG_MULTIPLIER = integer("listen_backlog_multiplier", 2, 1, MAX, RESTART);
    /** Accepted for compatibility; each listening socket accepts on one event loop, there is nothing to serialise. */
    public static final Param<Boolean> SERIALIZE_ACCEPT = bool("serialize_accept", false, RESTART);

    // ---- Backends (indexed) ----
    public static final IndexedParam<String> BACKEND_HOSTNAME = indexed("backend_hostname", STRING, "", RESTART);
    public static final IndexedParam<Integer> BACKEND_PORT = indexed("backend_port", ValueTypes.port(), 5432, RESTART);
    public static final IndexedParam<Double> BACKEND_WEIGHT = indexed("backend_weight",
            ValueTypes.real(0, 100_000_000), 1.0, RELOAD);
    public static final IndexedParam<String> BACKEND_DATA_DIRECTORY = indexed("backend_data_directory", STRING, "", RESTART);
    public static final IndexedParam<Set<BackendFlag>> BACKEND_FLAG = indexed("backend_flag", BackendFlag.TYPE,
            Set.of(BackendFlag.ALLOW_TO_FAILOVER), RESTART);
    public static final IndexedParam<String> BACKEND_APPLICATION_NAME = indexed("backend_application_name", STRING, "", RESTART);

    // ---- Authentication and SSL ----
    public static final Param<Boolean> ENABLE_POOL_HBA = bool("enable_pool_hba", false, RELOAD);
    /** Relative to the config file's directory; '' disables pool_passwd. */
    public static final Param<String> POOL_PASSWD = string("pool_passwd", "pool_passwd", RESTART);
    public static final Param<Integer> AUTHENTICATION_TIMEOUT = seconds("authentication_timeout", 60, RELOAD);
    public static final Param<Boolean> ALLOW_CLEAR_TEXT_FRONTEND_AUTH = bool("allow_clear_text_frontend_auth", false, RELOAD);
    public static final Param<Boolean> SSL = bool("ssl", false, RESTART);
    public static final Param<String> SSL_KEY = string("ssl_key", "", RESTART);
    public static final Param<String> SSL_CERT = string("ssl_cert", "", RESTART);
    public static final Param<String> SSL_CA_CERT = string("ssl_ca_cert", "", RESTART);
    public static final Param<String> SSL_CA_CERT_DIR = string("ssl_ca_cert_dir", "", RESTART);
    public static final Param<String> SSL_CRL_FILE = string("ssl_crl_file", "", RESTART);
    public static final Param<String> SSL_CIPHERS = string("ssl_ciphers", "HIGH:MEDIUM:+3DES:!aNULL", RESTART);
    public static final Param<Boolean> SSL_PREFER_SERVER_CIPHERS = bool("ssl_prefer_server_ciphers", false, RESTART);

    // ---- Pool ----
    public static final Param<Integer> NUM_INIT_CHILDREN = integer("num_init_children", 32, 1, MAX, RESTART);
    public static final Param<Integer> MAX_POOL = integer("max_pool", 4, 1, MAX, RESTART);
    public static final Param<Integer> CHILD_LIFE_TIME = seconds("child_life_time", 300, RELOAD);
    public static final Param<Integer> CHILD_MAX_CONNECTIONS = integer("child_max_connections", 0, 0, MAX, RELOAD);
    public static final Param<Integer> CONNECTION_LIFE_TIME = seconds("connection_life_time", 0, RELOAD);
    public static final Param<Integer> CLIENT_IDLE_LIMIT = seconds("client_idle_limit", 0, RELOAD);
    public static final Param<Boolean> CONNECTION_CACHE = bool("connection_cache", true, RESTART);
    public static final Param<List<String>> RESET_QUERY_LIST = list("reset_query_list", ';', "ABORT; DISCARD ALL", RELOAD);

    // ---- Logging and files ----
    public static final Param<List<String>> LOG_DESTINATION = list("log_destination", ',', "stderr", RELOAD);
    public static final Param<LogLevel> LOG_MIN_MESSAGES = enumeration("log_min_messages", LogLevel.class, LogLevel.WARNING, RELOAD);
    public static final Param<Boolean> LOG_STATEMENT = bool("log_statement", false, RELOAD);
    public static final Param<Boolean> LOG_PER_NODE_STATEMENT = bool("log_per_node_statement", false, RELOAD);
    public static final Param<Boolean> LOG_CLIENT_MESSAGES = bool("log_client_messages", false, RELOAD);
    public static final Param<Boolean> LOG_CONNECTIONS = bool("log_connections", false, RELOAD);
    public static final Param<Boolean> LOG_DISCONNECTIONS = bool("log_disconnections", false, RELOAD);
    public static final Param<Boolean> LOG_HOSTNAME = bool("log_hostname", false, RELOAD);
    public static final Param<String> PID_FILE_NAME = string("pid_file_name", "/var/run/pgpool/pgpool.pid", RESTART);
    public static final Param<String> LOGDIR = string("logdir", "/tmp", RESTART);

    // ---- Load balancing ----
    public static final Param<Boolean> LOAD_BALANCE_MODE = bool("load_balance_mode", true, RESTART);
    public static final Param<Boolean> IGNORE_LEADING_WHITE_SPACE = bool("ignore_leading_white_space", true, RELOAD);
    /** 4.2 name; before it was {@code white_function_list}. Regular expressions, comma-separated. */
    public static final Param<List<String>> READ_ONLY_FUNCTION_LIST = list("read_only_function_list", ',', "", RELOAD,
            "white_function_list");
    /** 4.2 name; before it was {@code black_function_list}. */
    public static final Param<List<String>> WRITE_FUNCTION_LIST = list("write_function_list", ',', "", RELOAD,
            "black_function_list");
    /** Regular expressions separated by ';' (4.2 name of {@code black_query_pattern_list}). */
    public static final Param<List<String>> PRIMARY_ROUTING_QUERY_PATTERN_LIST = list(
            "primary_routing_query_pattern_list", ';', "", RELOAD, "black_query_pattern_list");
    /** {@code dbregex:node|primary|standby[(weight)]}, comma-separated. */
    public static final Param<List<String>> DATABASE_REDIRECT_PREFERENCE_LIST = list(
            "database_redirect_preference_list", ',', "", RELOAD);
    public static final Param<List<String>> APP_NAME_REDIRECT_PREFERENCE_LIST = list(
            "app_name_redirect_preference_list", ',', "", RELOAD);
    public static final Param<Boolean> ALLOW_SQL_COMMENTS = bool("allow_sql_comments", false, RELOAD);
    public static final Param<DisableLoadBalanceOnWrite> DISABLE_LOAD_BALANCE_ON_WRITE = enumeration(
            "disable_load_balance_on_write", DisableLoadBalanceOnWrite.class, DisableLoadBalanceOnWrite.TRANSACTION, RELOAD);
    /** {@code table:table2,...} pairs, comma-separated; used by dml_adaptive. */
    public static final Param<List<String>> DML_ADAPTIVE_OBJECT_RELATIONSHIP_LIST = list(
            "dml_adaptive_object_relationship_list", ',', "", RELOAD);
    public static final Param<Boolean> STATEMENT_LEVEL_LOAD_BALANCE = bool("statement_level_load_balance", false, RELOAD);

    // ---- Streaming replication check ----
    public static final Param<Integer> SR_CHECK_PERIOD = seconds("sr_check_period", 10, RELOAD);
    public static final Param<String> SR_CHECK_USER = string("sr_check_user", "", RELOAD);
    public static final Param<String> SR_CHECK_PASSWORD = string("sr_check_password", "", RELOAD);
    public static final Param<String> SR_CHECK_DATABASE = string("sr_check_database", "postgres", RELOAD);
    /** Bytes of WAL a standby may lag before reads avoid it; 0 disables. */
    public static final Param<Long> DELAY_THRESHOLD = register(new Param<>("delay_threshold", List.of(),
            ValueTypes.longInteger(0, Long.MAX_VALUE, Unit.BYTES), 0L, RELOAD, null));
    /** Milliseconds of replay lag a standby may have (pgpool 4.4); 0 disables. */
    public static final Param<Integer> DELAY_THRESHOLD_BY_TIME = register(new Param<>("delay_threshold_by_time",
            List.of(), ValueTypes.integer(0, MAX, Unit.MILLISECONDS), 0, RELOAD, null));
    public static final Param<Boolean> PREFER_LOWER_DELAY_STANDBY = bool("prefer_lower_delay_standby", false, RELOAD);
    public static final Param<LogStandbyDelay> LOG_STANDBY_DELAY = enumeration("log_standby_delay",
            LogStandbyDelay.class, LogStandbyDelay.IF_OVER_THRESHOLD, RELOAD);

    // ---- Health check (global; per-node overrides below) ----
    public static final Param<Integer> HEALTH_CHECK_PERIOD = seconds("health_check_period", 0, RELOAD);
    public static final Param<Integer> HEALTH_CHECK_TIMEOUT = seconds("health_check_timeout", 20, RELOAD);
    public static final Param<String> HEALTH_CHECK_USER = string("health_check_user", "", RELOAD);
    public static final Param<String> HEALTH_CHECK_PASSWORD = string("health_check_password", "", RELOAD);
    public static final Param<String> HEALTH_CHECK_DATABASE = string("health_check_database", "", RELOAD);
    public static final Param<Integer> HEALTH_CHECK_MAX_RETRIES = integer("health_check_max_retries", 0, 0, MAX, RELOAD);
    public static final Param<Integer> HEALTH_CHECK_RETRY_DELAY = seconds("health_check_retry_delay", 1, RELOAD);
    /** Milliseconds to wait for a backend TCP connect; 0 = no limit. */
    public static final Param<Integer> CONNECT_TIMEOUT = millis("connect_timeout", 10_000, RELOAD);

    public static final IndexedParam<Integer> HEALTH_CHECK_PERIOD_N = perNode(HEALTH_CHECK_PERIOD);
    public static final IndexedParam<Integer> HEALTH_CHECK_TIMEOUT_N = perNode(HEALTH_CHECK_TIMEOUT);
    public static final IndexedParam<String> HEALTH_CHECK_USER_N = perNode(HEALTH_CHECK_USER);
    public static final IndexedParam<String> HEALTH_CHECK_PASSWORD_N = perNode(HEALTH_CHECK_PASSWORD);
    public static final IndexedParam<String> HEALTH_CHECK_DATABASE_N = perNode(HEALTH_CHECK_DATABASE);
    public static final IndexedParam<Integer> HEALTH_CHECK_MAX_RETRIES_N = perNode(HEALTH_CHECK_MAX_RETRIES);
    public static final IndexedParam<Integer> HEALTH_CHECK_RETRY_DELAY_N = perNode(HEALTH_CHECK_RETRY_DELAY);
    public static final IndexedParam<Integer> CONNECT_TIMEOUT_N = perNode(CONNECT_TIMEOUT);

    // ---- Failover and failback ----
    public static final Param<String> FAILOVER_COMMAND = string("failover_command", "", RELOAD);
    public static final Param<String> FOLLOW_PRIMARY_COMMAND = string("follow_primary_command", "", RELOAD,
            "follow_master_command");
    public static final Param<String> FAILBACK_COMMAND = string("failback_command", "", RELOAD);
    public static final Param<Boolean> FAILOVER_ON_BACKEND_ERROR = bool("failover_on_backend_error", true, RELOAD,
            "fail_over_on_backend_error");
    public static final Param<Boolean> FAILOVER_ON_BACKEND_SHUTDOWN = bool("failover_on_backend_shutdown", false, RELOAD);
    public static final Param<Boolean> DETACH_FALSE_PRIMARY = bool("detach_false_primary", false, RELOAD);
    /** Seconds; 0 = search forever. */
    public static final Param<Integer> SEARCH_PRIMARY_NODE_TIMEOUT = seconds("search_primary_node_timeout", 300, RELOAD);
    public static final Param<Boolean> AUTO_FAILBACK = bool("auto_failback", false, RELOAD);
    public static final Param<Integer> AUTO_FAILBACK_INTERVAL = seconds("auto_failback_interval", 60, RELOAD);

    // ---- Online recovery ----
    public static final Param<String> RECOVERY_USER = string("recovery_user", "", RELOAD);
    public static final Param<String> RECOVERY_PASSWORD = string("recovery_password", "", RELOAD);
    public static final Param<String> RECOVERY_1ST_STAGE_COMMAND = string("recovery_1st_stage_command", "", RELOAD);
    public static final Param<String> RECOVERY_2ND_STAGE_COMMAND = string("recovery_2nd_stage_command", "", RELOAD);
    public static final Param<Integer> RECOVERY_TIMEOUT = seconds("recovery_timeout", 90, RELOAD);
    /**
     * While a graceful detach waits for clients to leave: disconnect clients idle this long; -1
     * disconnects idle clients at once, 0 leaves them connected.
     */
    public static final Param<Integer> CLIENT_IDLE_LIMIT_IN_RECOVERY = integer("client_idle_limit_in_recovery", 0, -1, MAX,
            Unit.SECONDS, RELOAD);
    /** vxpool: run the recovery scripts through the pgpool_recovery extension or on the Active node's host. */
    public static final Param<RecoveryMode> RECOVERY_MODE = enumeration("recovery_mode", RecoveryMode.class,
            RecoveryMode.EXTENSION, RELOAD);
    /** vxpool, recovery_mode = local: what starts the recovered node (pgpool_remote_start's job). */
    public static final Param<String> RECOVERY_REMOTE_START_COMMAND = string("recovery_remote_start_command", "", RELOAD);
    /** vxpool: bound on the 1st stage (the base backup); 0 = none, as in pgpool. */
    public static final Param<Integer> RECOVERY_1ST_STAGE_TIMEOUT = seconds("recovery_1st_stage_timeout", 0, RELOAD);

    // ---- Watchdog: enable, members ----
    public static final Param<Boolean> USE_WATCHDOG = bool("use_watchdog", false, RESTART);
    /** 4.2+: member N's host; this node is member {@code pgpool_node_id}. */
    public static final IndexedParam<String> HOSTNAME = indexed("hostname", STRING, "", RESTART);
    public static final IndexedParam<Integer> WD_PORT_N = indexed("wd_port", ValueTypes.port(), 9000, RESTART);
    public static final IndexedParam<Integer> PGPOOL_PORT = indexed("pgpool_port", ValueTypes.port(), 9999, RESTART);
    /** 3.x: this node's watchdog host. */
    public static final Param<String> WD_HOSTNAME = string("wd_hostname", "", RESTART);
    /** 3.x: this node's watchdog port. */
    public static final Param<Integer> WD_PORT = port("wd_port", 9000, RESTART);
    /** 3.x: the other members, relative to this node. */
    public static final IndexedParam<String> OTHER_PGPOOL_HOSTNAME = indexed("other_pgpool_hostname", STRING, "", RESTART);
    public static final IndexedParam<Integer> OTHER_PGPOOL_PORT = indexed("other_pgpool_port", ValueTypes.port(), 9999, RESTART);
    public static final IndexedParam<Integer> OTHER_WD_PORT = indexed("other_wd_port", ValueTypes.port(), 9000, RESTART);
    public static final Param<Integer> WD_PRIORITY = integer("wd_priority", 1, 0, MAX, RESTART);
    public static final Param<String> WD_AUTHKEY = string("wd_authkey", "", RESTART);
    public static final Param<String> WD_IPC_SOCKET_DIR = string("wd_ipc_socket_dir", "/tmp", RESTART);
    /**
     * vxpool: the clustered event bus's TCP port on this node; 0 = a free port chosen at start (the
     * behaviour before this setting existed). Set it so that a firewall rule can name the port.
     */
    public static final Param<Integer> EVENTBUS_PORT = integer("eventbus_port", 0, 0, 65535, RESTART);
    /** vxpool: where the event bus listens; '' = the watchdog host address, '*' = every address. */
    public static final Param<String> EVENTBUS_LISTEN_ADDRESS = string("eventbus_listen_address", "", RESTART);
    /** vxpool: TLS with client certificates between the members' event buses. */
    public static final Param<Boolean> EVENTBUS_SSL = bool("eventbus_ssl", false, RESTART);
    /** PEM certificate (chain) this node presents, as server and as client; relative to the config file. */
    public static final Param<String> EVENTBUS_SSL_CERT = string("eventbus_ssl_cert", "", RESTART);
    /** PEM private key of {@code eventbus_ssl_cert}; relative to the config file. */
    public static final Param<String> EVENTBUS_SSL_KEY = string("eventbus_ssl_key", "", RESTART);
    /** PEM CA certificate(s): only peers whose certificate one of them signed may connect. */
    public static final Param<String> EVENTBUS_SSL_CA_CERT = string("eventbus_ssl_ca_cert", "", RESTART);

    // ---- Watchdog: delegate IP ----
    /** pgpool writes it {@code delegate_IP}; names are case-insensitive, so both spellings match. */
    public static final Param<String> DELEGATE_IP = string("delegate_ip", "", RESTART);
    /** 3.2 called it {@code ifconfig_path}. */
    public static final Param<String> IF_CMD_PATH = string("if_cmd_path", "/sbin", RESTART, "ifconfig_path");
    public static final Param<String> IF_UP_CMD = string("if_up_cmd",
            "/usr/bin/sudo /sbin/ip addr add $_IP_$/24 dev eth0 label eth0:0", RESTART);
    public static final Param<String> IF_DOWN_CMD = string("if_down_cmd",
            "/usr/bin/sudo /sbin/ip addr del $_IP_$/24 dev eth0", RESTART);
    public static final Param<String> ARPING_PATH = string("arping_path", "/usr/sbin", RESTART);
    public static final Param<String> ARPING_CMD = string("arping_cmd",
            "/usr/bin/sudo /usr/sbin/arping -U $_IP_$ -w 1 -I eth0", RESTART);
    public static final Param<List<String>> TRUSTED_SERVERS = list("trusted_servers", ',', "", RELOAD);
    /** pgpool 4.4; {@code %h} is the trusted server. */
    public static final Param<String> TRUSTED_SERVER_COMMAND = string("trusted_server_command", "ping -q -c3 %h", RELOAD);
    public static final Param<String> PING_PATH = string("ping_path", "/bin", RESTART);
    public static final Param<String> WD_ESCALATION_COMMAND = string("wd_escalation_command", "", RESTART);
    public static final Param<String> WD_DE_ESCALATION_COMMAND = string("wd_de_escalation_command", "", RESTART);

    // ---- Watchdog: quorum and consensus ----
    public static final Param<Boolean> FAILOVER_WHEN_QUORUM_EXISTS = bool("failover_when_quorum_exists", true, RESTART);
    public static final Param<Boolean> FAILOVER_REQUIRE_CONSENSUS = bool("failover_require_consensus", true, RESTART);
    public static final Param<Boolean> ALLOW_MULTIPLE_FAILOVER_REQUESTS_FROM_NODE = bool(
            "allow_multiple_failover_requests_from_node", false, RESTART);
    public static final Param<Boolean> ENABLE_CONSENSUS_WITH_HALF_VOTES = bool("enable_consensus_with_half_votes", false, RESTART);
    public static final Param<Boolean> WD_REMOVE_SHUTDOWN_NODES = bool("wd_remove_shutdown_nodes", false, RESTART);
    public static final Param<Integer> WD_LOST_NODE_REMOVAL_TIMEOUT = seconds("wd_lost_node_removal_timeout", 0, RESTART);
    public static final Param<Integer> WD_NO_SHOW_NODE_REMOVAL_TIMEOUT = seconds("wd_no_show_node_removal_timeout", 0, RESTART);

    // ---- Watchdog: life check ----
    public static final Param<LifecheckMethod> WD_LIFECHECK_METHOD = enumeration("wd_lifecheck_method",
            LifecheckMethod.class, LifecheckMethod.HEARTBEAT, RESTART);
    public static final Param<List<String>> WD_MONITORING_INTERFACES_LIST = list("wd_monitoring_interfaces_list", ',', "", RESTART);
    public static final Param<Integer> WD_INTERVAL = integer("wd_interval", 10, 1, MAX, Unit.SECONDS, RESTART);
    /** 3.x: one heartbeat port for every destination; 4.x sets heartbeat_portN. */
    public static final Param<Integer> WD_HEARTBEAT_PORT = port("wd_heartbeat_port", 9694, RESTART);
    public static final IndexedParam<String> HEARTBEAT_HOSTNAME = indexed("heartbeat_hostname", STRING, "", RESTART,
            "heartbeat_destination");
    public static final IndexedParam<Integer> HEARTBEAT_PORT = register(new IndexedParam<>("heartbeat_port",
            List.of("heartbeat_destination_port"), ValueTypes.port(), 9694, RESTART, null, WD_HEARTBEAT_PORT));
    public static final IndexedParam<String> HEARTBEAT_DEVICE = indexed("heartbeat_device", STRING, "", RESTART);
    public static final Param<Integer> WD_HEARTBEAT_KEEPALIVE = integer("wd_heartbeat_keepalive", 2, 1, MAX, Unit.SECONDS, RESTART);
    public static final Param<Integer> WD_HEARTBEAT_DEADTIME = integer("wd_heartbeat_deadtime", 30, 1, MAX, Unit.SECONDS, RESTART);
    public static final Param<Integer> WD_LIFE_POINT = integer("wd_life_point", 3, 1, MAX, RESTART);
    public static final Param<String> WD_LIFECHECK_QUERY = string("wd_lifecheck_query", "SELECT 1", RESTART);
    public static final Param<String> WD_LIFECHECK_DBNAME = string("wd_lifecheck_dbname", "template1", RESTART);
    public static final Param<String> WD_LIFECHECK_USER = string("wd_lifecheck_user", "nobody", RESTART);
    public static final Param<String> WD_LIFECHECK_PASSWORD = string("wd_lifecheck_password", "", RESTART);

    // ---- vxpool's own ----
    public static final Param<List<String>> ADMIN_LISTEN_ADDRESSES = list("admin_listen_addresses", ',', "localhost", RESTART);
    public static final Param<Integer> ADMIN_PORT = port("admin_port", 9899, RESTART);
    /** pcp.conf-style {@code user:md5(password)} file guarding the admin API's mutations and logs; relative to the config file. */
    public static final Param<String> ADMIN_AUTH_FILE = string("admin_auth_file", "pcp.conf", RESTART);
    public static final Param<Boolean> ADMIN_SSL = bool("admin_ssl", false, RESTART);
    /** PEM certificate (chain) of the admin API; relative to the config file. */
    public static final Param<String> ADMIN_SSL_CERT = string("admin_ssl_cert", "", RESTART);
    /** PEM private key of the admin API; relative to the config file. */
    public static final Param<String> ADMIN_SSL_KEY = string("admin_ssl_key", "", RESTART);
    public static final Param<PoolMode> POOL_MODE = enumeration("pool_mode", PoolMode.class, PoolMode.SESSION, RESTART);
    /** Backend connections per (node, user, database) in transaction pool mode. */
    public static final Param<Integer> DEFAULT_POOL_SIZE = integer("default_pool_size", 20, 1, MAX, RELOAD);
    /** Milliseconds a client waits for a pooled connection before an error; 0 = forever. */
    public static final Param<Integer> POOL_TIMEOUT = millis("pool_timeout", 30_000, RELOAD);
    /**
     * Transaction pool mode: autocommit reads of several clients sent one behind the other on one
     * busy connection when the pool is full, counting the running one; 1 = off.
     */
    public static final Param<Integer> TX_PIPELINE_DEPTH = integer("tx_pipeline_depth", 4, 1, 64, RELOAD);
    /**
     * Transaction pool mode: a read is pipelined only behind a connection whose running statement
     * started (or whose last answer came) less than this many milliseconds ago, so that short reads
     * do not queue behind a long one; 0 = no limit.
     */
    public static final Param<Integer> TX_PIPELINE_MAX_AGE = millis("tx_pipeline_max_age", 10, RELOAD);
    /** Largest protocol message accepted from clients or backends, in bytes. */
    public static final Param<Integer> MAX_MESSAGE_LENGTH = integer("max_message_length", 256 * 1024 * 1024,
            8192, 1024 * 1024 * 1024, Unit.BYTES, RESTART);
    /** With no failover_command, promote the new primary with {@code SELECT pg_promote()}. */
    public static final Param<Boolean> BUILTIN_PROMOTE = bool("builtin_promote", false, RELOAD);
    /** off = witness node: a quorum-only watchdog member that serves no clients. */
    public static final Param<Boolean> PROXY_ENABLED = bool("proxy_enabled", true, RESTART);
    /** Backend status file; '' means {@code <logdir>/pgpool_status}. */
    public static final Param<String> STATUS_FILE = string("status_file", "", RESTART);

    /**
     * Parameters pgpool-II has (or had) that vxpool accepts but does not implement. Loading a file
     * that sets one of them produces a warning naming it.
     */
    private static final Set<String> UNSUPPORTED = Set.of(
            "memory_cache_enabled", "cache_safe_memqcache_table_list", "cache_unsafe_memqcache_table_list",
            "white_memqcache_table_list", "black_memqcache_table_list", "clear_memqcache_on_escalation",
            "enable_shared_relcache", "check_temp_table", "check_unlogged_table",
            "replicate_select", "insert_lock", "lobj_lock_table", "replication_stop_on_mismatch",
            "failover_if_affected_tuples_mismatch", "ssl_ecdh_curve", "ssl_dh_params_file",
            "ssl_passphrase_command", "log_line_prefix", "log_error_verbosity", "client_min_messages",
            "logging_collector", "log_directory", "log_filename", "log_file_mode", "log_truncate_on_rotation",
            "log_rotation_age", "log_rotation_size", "syslog_facility", "syslog_ident",
            "process_management_mode", "process_management_strategy", "min_spare_children",
            "max_spare_children", "health_check_test", "parallel_mode", "enable_query_cache",
            "pgpool2_hostname", "system_db_hostname", "system_db_port", "system_db_dbname",
            "system_db_schema", "system_db_user", "system_db_password", "debug_level", "print_timestamp",
            "pcp_timeout");
    private static final List<String> UNSUPPORTED_PREFIXES = List.of("memqcache_", "relcache_");

    /**
     * Logging parameters vxpool parses but does not act on: logback decides where lines go. A value
     * other than the default gets a warning, so that an operator who turns one on learns it has
     * no effect.
     */
    private static final Set<Param<?>> NOT_APPLIED = Set.of(LOG_DESTINATION);

    // ---- lookup ----

    /** Every global parameter in declaration order. */
    public static List<Param<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** Every indexed parameter in declaration order. */
    public static List<IndexedParam<?>> allIndexed() {
        return Collections.unmodifiableList(ALL_INDEXED);
    }

    /** True for {@code p} set to {@code value} that vxpool accepts without acting on it. */
    static boolean notApplied(Param<?> p, Object value) {
        return NOT_APPLIED.contains(p) && !p.defaultValue().equals(value);
    }

    /** A global parameter by name or alias, case-insensitive. */
    public static Optional<Param<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** An indexed parameter by its name without index (or alias), case-insensitive. */
    public static Optional<IndexedParam<?>> indexedByName(String name) {
        return Optional.ofNullable(INDEXED_BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A pgpool-II parameter vxpool knows of but does not implement. */
    public static boolean isUnsupported(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return UNSUPPORTED.contains(k) || UNSUPPORTED_PREFIXES.stream().anyMatch(k::startsWith);
    }

    // ---- declaration helpers ----

    private static <T> Param<T> register(Param<T> p) {
        ALL.add(p);
        putUnique(BY_NAME, p.name(), p);
        p.aliases().forEach(a -> putUnique(BY_NAME, a, p));
        return p;
    }

    private static <T> IndexedParam<T> register(IndexedParam<T> p) {
        ALL_INDEXED.add(p);
        putUnique(INDEXED_BY_NAME, p.name(), p);
        p.aliases().forEach(a -> putUnique(INDEXED_BY_NAME, a, p));
        return p;
    }

    private static <P> void putUnique(Map<String, P> map, String name, P p) {
        if (map.putIfAbsent(name, p) != null) {
            throw new IllegalStateException("parameter " + name + " declared twice");
        }
    }

    private static Param<Boolean> bool(String name, boolean def, boolean restart, String... aliases) {
        return register(new Param<>(name, List.of(aliases), BOOLEAN, def, restart, null));
    }

    private static Param<String> string(String name, String def, boolean restart, String... aliases) {
        return register(new Param<>(name, List.of(aliases), STRING, def, restart, null));
    }

    private static Param<Integer> integer(String name, int def, int min, int max, boolean restart) {
        return integer(name, def, min, max, Unit.NONE, restart);
    }

    private static Param<Integer> integer(String name, int def, int min, int max, Unit unit, boolean restart) {
        return register(new Param<>(name, List.of(), ValueTypes.integer(min, max, unit), def, restart, null));
    }

    private static Param<Integer> seconds(String name, int def, boolean restart) {
        return integer(name, def, 0, MAX, Unit.SECONDS, restart);
    }

    private static Param<Integer> millis(String name, int def, boolean restart) {
        return integer(name, def, 0, MAX, Unit.MILLISECONDS, restart);
    }

    private static Param<Integer> port(String name, int def, boolean restart) {
        return register(new Param<>(name, List.of(), ValueTypes.port(), def, restart, null));
    }

    private static Param<List<String>> list(String name, char sep, String def, boolean restart, String... aliases) {
        ValueType<List<String>> type = ValueTypes.list(sep);
        try {
            return register(new Param<>(name, List.of(aliases), type, type.parse(def), restart, null));
        } catch (InvalidValueException e) {
            throw new IllegalStateException("bad default of " + name, e);
        }
    }

    private static <E extends Enum<E>> Param<E> enumeration(String name, Class<E> type, E def, boolean restart) {
        return register(new Param<>(name, List.of(), ValueTypes.enumeration(type), def, restart, null));
    }

    private static <T> IndexedParam<T> indexed(String name, ValueType<T> type, T def, boolean restart,
            String... aliases) {
        return register(new IndexedParam<>(name, List.of(aliases), type, def, restart, null, null));
    }

    /** {@code nameN} overriding the global {@code name} for backend N (pgpool 4.0+). */
    private static <T> IndexedParam<T> perNode(Param<T> global) {
        Function<T, String> validator = v -> global.validate(v).orElse(null);
        return register(new IndexedParam<>(global.name(), List.of(), global.type(), global.defaultValue(),
                global.restartRequired(), validator, global));
    }
}
