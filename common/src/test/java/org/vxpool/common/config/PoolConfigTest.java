package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolConfigTest {

    private static List<String> errors(String text) {
        return ConfigErrors.of(text, "bad.conf");
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = 'db0'", "min.conf");
        assertThat(c.get(Params.PORT)).isEqualTo(9999);
        assertThat(c.get(Params.ADMIN_PORT)).isEqualTo(9899);
        assertThat(c.get(Params.ADMIN_LISTEN_ADDRESSES)).containsExactly("localhost");
        assertThat(c.get(Params.POOL_MODE)).isEqualTo(PoolMode.SESSION);
        assertThat(c.get(Params.MAX_MESSAGE_LENGTH)).isEqualTo(256 * 1024 * 1024);
        assertThat(c.get(Params.PROXY_ENABLED)).isTrue();
        assertThat(c.get(Params.BUILTIN_PROMOTE)).isFalse();
        assertThat(c.get(Params.DISABLE_LOAD_BALANCE_ON_WRITE)).isEqualTo(DisableLoadBalanceOnWrite.TRANSACTION);
        assertThat(c.clusteringMode()).isEqualTo(ClusteringMode.STREAMING_REPLICATION);
        assertThat(c.watchdog().enabled()).isFalse();
        assertThat(c.isSet(Params.PORT)).isFalse();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.raw()).containsExactly(Map.entry("backend_hostname0", "db0"));
    }

    @Test
    void backendsAreTyped() {
        PoolConfig c = PoolConfig.parse("""
                backend_hostname0 = 'db0'
                backend_port0 = 5433
                backend_weight0 = 0.5
                backend_data_directory0 = '/data/0'
                backend_flag0 = 'DISALLOW_TO_FAILOVER|ALWAYS_PRIMARY'
                backend_application_name0 = 'server0'
                backend_hostname1 = 'db1'
                """, "b.conf");
        assertThat(c.backends()).containsExactly(
                new BackendConfig(0, "db0", 5433, 0.5, "/data/0",
                        Set.of(BackendFlag.DISALLOW_TO_FAILOVER, BackendFlag.ALWAYS_PRIMARY), "server0"),
                new BackendConfig(1, "db1", 5432, 1.0, "", Set.of(BackendFlag.ALLOW_TO_FAILOVER), ""));
        assertThat(c.backend(0).allowToFailover()).isFalse();
        assertThat(c.backend(0).alwaysPrimary()).isTrue();
        assertThat(c.backend(1).allowToFailover()).isTrue();
        assertThat(c.backend(1).toInitialNode(5).hostPort()).isEqualTo("db1(5432)");
    }

    @Test
    void perNodeHealthCheckFallsBackToGlobal() {
        PoolConfig c = PoolConfig.parse("""
                backend_hostname0 = 'db0'
                backend_hostname1 = 'db1'
                health_check_period = 5
                health_check_user = 'hc'
                health_check_period1 = 30
                health_check_user1 = 'hc1'
                """, "hc.conf");
        assertThat(c.get(Params.HEALTH_CHECK_PERIOD_N, 0)).isEqualTo(5);
        assertThat(c.get(Params.HEALTH_CHECK_PERIOD_N, 1)).isEqualTo(30);
        assertThat(c.get(Params.HEALTH_CHECK_USER_N, 0)).isEqualTo("hc");
        assertThat(c.get(Params.HEALTH_CHECK_USER_N, 1)).isEqualTo("hc1");
        // neither global nor per node set: the global default
        assertThat(c.get(Params.HEALTH_CHECK_TIMEOUT_N, 1)).isEqualTo(20);
        assertThat(c.get(Params.CONNECT_TIMEOUT_N, 0)).isEqualTo(10_000);
    }

    @Test
    void legacyClusteringSwitchesTranslate() {
        String b = "backend_hostname0 = h\n";
        assertThat(PoolConfig.parse(b + "master_slave_mode = on\nmaster_slave_sub_mode = 'stream'", "x")
                .clusteringMode()).isEqualTo(ClusteringMode.STREAMING_REPLICATION);
        assertThat(PoolConfig.parse(b + "master_slave_mode = off\nreplication_mode = off", "x")
                .clusteringMode()).isEqualTo(ClusteringMode.RAW);
        assertThat(PoolConfig.parse(b + "master_slave_mode = off", "x").clusteringMode())
                .isEqualTo(ClusteringMode.RAW);
        assertThat(PoolConfig.parse(b + "backend_clustering_mode = raw", "x").clusteringMode())
                .isEqualTo(ClusteringMode.RAW);
    }

    @Test
    void unsupportedClusteringModesNameTheSupportedOnes() {
        assertThat(errors("backend_hostname0 = h\nbackend_clustering_mode = 'snapshot_isolation'"))
                .containsExactly("bad.conf:2: backend_clustering_mode: clustering mode snapshot_isolation is not"
                        + " supported by vxpool (supported: streaming_replication, raw)");
        assertThat(errors("backend_hostname0 = h\nmaster_slave_mode = on\nmaster_slave_sub_mode = slony"))
                .containsExactly("bad.conf:3: master_slave_sub_mode: clustering mode slony is not"
                        + " supported by vxpool (supported: streaming_replication, raw)");
        assertThat(errors("backend_hostname0 = h\nreplication_mode = on"))
                .containsExactly("bad.conf:2: replication_mode: clustering mode native_replication is not"
                        + " supported by vxpool (supported: streaming_replication, raw)");
    }

    @Test
    void legacySwitchesAreIgnoredWithWarningWhenTheNewOneIsSet() {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = h\nbackend_clustering_mode = raw\nmaster_slave_mode = on",
                "x.conf");
        assertThat(c.clusteringMode()).isEqualTo(ClusteringMode.RAW);
        assertThat(c.warnings()).containsExactly("x.conf:3: master_slave_mode: ignored: backend_clustering_mode is set");
    }

    @Test
    void unsupportedParametersWarnByName() {
        PoolConfig c = PoolConfig.parse("""
                backend_hostname0 = h
                memory_cache_enabled = off
                memqcache_total_size = 64MB
                relcache_expire = 0
                enable_shared_relcache = on
                check_temp_table = catalog
                """, "u.conf");
        assertThat(c.warningProblems()).extracting(ConfigProblem::key).containsExactly("memory_cache_enabled",
                "memqcache_total_size", "relcache_expire", "enable_shared_relcache", "check_temp_table");
        assertThat(c.warnings().get(0)).isEqualTo("u.conf:2: memory_cache_enabled: not supported by vxpool; ignored");
    }

    @Test
    void loggingParametersWithoutEffectWarnOnlyWhenTurnedOn() {
        PoolConfig c = PoolConfig.parse("""
                backend_hostname0 = h
                log_client_messages = on
                log_connections = on
                log_statement = on
                log_destination = 'stderr'
                log_hostname = on
                log_min_messages = debug1
                """, "l.conf");
        assertThat(c.warningProblems()).isEmpty();
        PoolConfig elsewhere = PoolConfig.parse("backend_hostname0 = h\nlog_destination = 'syslog'\n", "l.conf");
        assertThat(elsewhere.warnings()).containsExactly("l.conf:2: log_destination: accepted but not applied by vxpool"
                + " (logging is logback's, see docs/CONFIG.md)");
    }

    @Test
    void everyProblemOfAFileIsReportedWithFileLineAndKey() {
        String text = """
                # broken on purpose
                port = 70000
                num_init_children = many
                disable_load_balance_on_write = 'sometimes'
                no_such_parameter = 1
                load_balance_mode = maybe
                backend_hostname0 = 'db0'
                backend_port1 = 5433
                backend_hostname2 = 'db2'
                write_function_list = 'nextval'
                read_only_function_list = 'now'
                failover_command = 'unterminated
                wd_port = 0
                health_check_period0 = -1
                backend_weight0 = -2
                """;
        assertThat(errors(text)).containsExactly(
                "bad.conf:2: port: port 70000 out of range 1..65535",
                "bad.conf:3: num_init_children: invalid integer 'many'",
                "bad.conf:4: disable_load_balance_on_write: invalid value 'sometimes' (allowed: off, transaction,"
                        + " trans_transaction, always, dml_adaptive)",
                "bad.conf:5: no_such_parameter: unknown parameter",
                "bad.conf:6: load_balance_mode: invalid boolean 'maybe' (use on, off, true, false, yes, no, 1 or 0)",
                "bad.conf:8: backend_port1: set but backend_hostname1 is not",
                "bad.conf:9: backend_hostname2: set but backend_hostname1 is missing (ids must run from 0 without gaps)",
                "bad.conf:11: read_only_function_list: write_function_list and read_only_function_list are both set;"
                        + " set only one of them (the other is implied)",
                "bad.conf:12: failover_command: unterminated quoted string",
                "bad.conf:13: wd_port: port 0 out of range 1..65535",
                "bad.conf:14: health_check_period0: value -1 out of range 0..2147483647",
                "bad.conf:15: backend_weight0: value -2 out of range 0..100000000");
    }

    @Test
    void missingFirstBackendIsAnError() {
        assertThat(errors("port = 1\n")).containsExactly(
                "bad.conf: backend_hostname0: missing: at least one backend must be configured");
        assertThat(errors("backend_hostname0 = ''\n")).containsExactly("bad.conf:1: backend_hostname0: empty host name");
    }

    @Test
    void indexBeyondLimitIsAnError() {
        assertThat(errors("backend_hostname0 = h\nbackend_port128 = 1\n"))
                .containsExactly("bad.conf:2: backend_port128: index 128 out of range 0..127");
    }

    @Test
    void exceptionMessageHasOneProblemPerLine() {
        assertThatThrownBy(() -> PoolConfig.parse("port = x\nmax_pool = y\n", "m.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("m.conf:1: port: invalid integer 'x'\nm.conf:2: max_pool: invalid integer 'y'\n"
                        + "m.conf: backend_hostname0: missing: at least one backend must be configured");
    }

    @Test
    void overridesRevalidate() {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = h\nport = 1\n", "o.conf");
        PoolConfig o = c.withOverrides(Map.of("port", "2", "pool_mode", "transaction"));
        assertThat(o.get(Params.PORT)).isEqualTo(2);
        assertThat(o.get(Params.POOL_MODE)).isEqualTo(PoolMode.TRANSACTION);
        assertThat(o.warnings()).isEmpty();
        assertThat(c.get(Params.PORT)).isEqualTo(1);
        assertThatThrownBy(() -> c.withOverrides(Map.of("port", "99999")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("<override>: port: port 99999 out of range 1..65535");
    }

    @Test
    void relativePathsResolveAgainstTheConfigDirectory() {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = h\n", "/etc/vxpool/pgpool.conf");
        assertThat(c.resolve(c.get(Params.POOL_PASSWD))).isEqualTo(Path.of("/etc/vxpool/pool_passwd"));
        assertThat(c.resolve("/abs/hba")).isEqualTo(Path.of("/abs/hba"));
        assertThat(c.file()).isEqualTo(Path.of("/etc/vxpool/pgpool.conf"));
    }

    @Test
    void restartRequiringChangesAreListed() {
        PoolConfig a = PoolConfig.parse("backend_hostname0 = h\nport = 1\nhealth_check_period = 1\nhealth_check_user = u\n", "r.conf");
        PoolConfig b = a.withOverrides(Map.of("port", "2", "health_check_period", "5", "backend_port0", "6000"));
        assertThat(a.changesRequiringRestart(b)).containsExactly("port", "backend_port0");
        assertThat(a.changesRequiringRestart(a)).isEmpty();
    }

    @Test
    void crossKeyRulesReportTheLineOfTheKeyInvolved() {
        assertThat(errors("backend_hostname0 = h\nssl = on\nssl_key = 'k'\n"))
                .containsExactly("bad.conf:2: ssl: ssl is on but ssl_key or ssl_cert is not set");
        assertThat(errors("backend_hostname0 = h\nadmin_ssl = on\nadmin_ssl_cert = 'c.pem'\n"))
                .containsExactly("bad.conf:2: admin_ssl: admin_ssl is on but admin_ssl_key is not set");
        assertThat(errors("backend_hostname0 = h\nadmin_ssl = on\n"))
                .containsExactly("bad.conf:2: admin_ssl: admin_ssl is on but admin_ssl_cert, admin_ssl_key are not set");
        assertThat(errors("""
                backend_hostname0 = h
                backend_hostname1 = h1
                health_check_user = 'hc'
                health_check_user1 = ''
                health_check_period = 5
                """)).containsExactly(
                "bad.conf:5: health_check_period: health check of backend 1 is enabled but health_check_user is empty");
        assertThat(errors("backend_hostname0 = h\nbackend_hostname1 = h1\nhealth_check_period1 = 5\n"))
                .containsExactly("bad.conf:3: health_check_period1: health check of backend 1 is enabled"
                        + " but health_check_user is empty");
        assertThat(errors("""
                backend_hostname0 = h
                backend_flag0 = ALWAYS_PRIMARY
                backend_hostname1 = h1
                backend_flag1 = 'ALWAYS_PRIMARY|DISALLOW_TO_FAILOVER'
                """)).containsExactly("bad.conf:4: backend_flag1: ALWAYS_PRIMARY is set on more than one backend"
                        + " (backends [0, 1])");
    }
}
