package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vxpool.common.config.PoolConfig;

class LaunchPlanTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void sessionPoolingDeploysOneProxyPerCore() throws Exception {
        LaunchPlan plan = plan("pool_mode = 'session'\n");
        assertThat(plan.eventLoops()).isEqualTo(CORES);
        assertThat(proxyInstances(plan)).isEqualTo(CORES);
    }

    @Test
    void transactionPoolingDeploysOneProxyOnOneOrTwoCoresAndOnePerCoreAbove() throws Exception {
        LaunchPlan plan = plan("pool_mode = 'transaction'\ndefault_pool_size = 4\n");
        int expected = CORES <= 2 ? 1 : CORES;
        assertThat(plan.eventLoops()).isEqualTo(expected);
        assertThat(proxyInstances(plan)).isEqualTo(expected);
    }

    private static LaunchPlan plan(String lines) throws UsageException {
        PoolConfig config = PoolConfig.parse("backend_hostname0 = '127.0.0.1'\nbackend_port0 = 5432\n" + lines, "plan.conf");
        return LaunchPlan.from(config, CommandLine.parse());
    }

    private static int proxyInstances(LaunchPlan plan) {
        return plan.pool().specs().stream().filter(s -> s.name().equals("proxy")).findFirst().orElseThrow().instances();
    }
}
