package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.BackendFlag;
import org.vxpool.common.config.PoolConfig;

class WatchdogSettingsTest {
    private static final String CONF = """
            logdir = '/var/log/vxpool'
            backend_hostname0 = 'db0'
            backend_port0 = 5432
            backend_data_directory0 = '/data/0'
            backend_hostname1 = 'db1'
            backend_port1 = 5433
            backend_flag1 = 'DISALLOW_TO_FAILOVER'
            health_check_period = 5
            health_check_timeout = 3
            health_check_user = 'hc'
            health_check_password = 'pw'
            health_check_max_retries = 2
            health_check_period1 = 7
            health_check_retry_delay1 = 4
            failover_command = '/etc/vxpool/failover.sh %d %H'
            follow_master_command = '/etc/vxpool/follow.sh %d'
            search_primary_node_timeout = 10
            auto_failback = on
            builtin_promote = on
            """;

    @Test
    void readsPerNodeFallbacksAndFailoverSettings() {
        WatchdogSettings s = WatchdogSettings.from(PoolConfig.parse(CONF, "/etc/vxpool/pgpool.conf"));

        assertThat(s.statusFile()).isEqualTo(Path.of("/var/log/vxpool/pgpool_status"));
        assertThat(s.useWatchdog()).isFalse();
        assertThat(s.backends()).hasSize(2);
        assertThat(s.backends().get(1).flags()).contains(BackendFlag.DISALLOW_TO_FAILOVER);
        assertThat(s.health().get(0).period()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.health().get(1).period()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.health().get(1).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.health().get(0).retryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.health().get(1).retryDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.health().get(1).maxRetries()).isEqualTo(2);
        assertThat(s.health().get(1).user()).isEqualTo("hc");
        assertThat(s.health().get(0).connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.failover().failoverCommand()).isEqualTo("/etc/vxpool/failover.sh %d %H");
        assertThat(s.failover().followPrimaryCommand()).isEqualTo("/etc/vxpool/follow.sh %d");
        assertThat(s.failover().searchPrimaryNodeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.failover().autoFailback()).isTrue();
        assertThat(s.failover().builtinPromote()).isTrue();
        assertThat(s.failover().failoverOnBackendError()).isTrue();
    }
}
