package org.vxpool.watchdog.vip;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgpool's {@code trusted_servers}: a node that can reach none of them is on the wrong side of a
 * network failure and must not be, or stay, the leader.
 */
public final class TrustedServers {
    private static final Logger LOG = LoggerFactory.getLogger(TrustedServers.class);

    private final Vertx vertx;
    private final List<String> hosts;
    private final String commandTemplate;
    private final CommandRunner runner;
    private volatile Boolean lastResult;

    /**
     * @param commandTemplate {@code trusted_server_command}, with {@code %h} for the host
     */
    public TrustedServers(Vertx vertx, List<String> hosts, String commandTemplate, Duration timeout) {
        this.vertx = vertx;
        this.hosts = List.copyOf(hosts);
        this.commandTemplate = commandTemplate;
        this.runner = new CommandRunner(timeout);
    }

    public boolean configured() {
        return !hosts.isEmpty();
    }

    /** True when at least one trusted server answers; true when none are configured. */
    public Future<Boolean> anyReachable() {
        if (hosts.isEmpty()) {
            return Future.succeededFuture(true);
        }
        return vertx.executeBlocking(() -> {
            boolean reachable = hosts.stream().anyMatch(h ->
                    runner.run("trusted server check", commandTemplate.replace("%h", h), true).ok());
            if (lastResult == null || lastResult != reachable) {
                if (reachable) {
                    LOG.info("watchdog: trusted servers reachable");
                } else {
                    LOG.warn("watchdog: none of the trusted servers {} answers \"{}\"", hosts, commandTemplate);
                }
            }
            lastResult = reachable;
            return reachable;
        }, false);
    }
}
