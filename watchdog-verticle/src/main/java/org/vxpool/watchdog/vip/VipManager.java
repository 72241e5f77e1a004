package org.vxpool.watchdog.vip;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the escalation and de-escalation commands and moves the delegate IP, always off the event
 * loop. The caller (the election) serialises calls: one escalation or de-escalation at a time.
 */
public final class VipManager {
    private static final Logger LOG = LoggerFactory.getLogger(VipManager.class);
    /** iputils arping -D exits 1 when somebody answered for the address. */
    private static final int ARPING_DUPLICATE = 1;
    /** iputils arping's tally when it was stopped before its first request went out. */
    private static final String NOTHING_SENT = "Sent 0 probes";

    private final Vertx vertx;
    private final VipSettings settings;
    private final CommandRunner runner;
    private volatile boolean holdsVip;
    /** Duplicate answers in a row: the election retries every second, the arping output is logged once. */
    private final AtomicInteger duplicates = new AtomicInteger();

    public VipManager(Vertx vertx, VipSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.runner = new CommandRunner(settings.timeout());
    }

    public VipSettings settings() {
        return settings;
    }

    public boolean holdsVip() {
        return holdsVip;
    }

    /**
     * Whether nobody on the link answers ARP for the delegate IP. An exit status other than 0 or 1
     * (arping missing, interface down) means the probe itself failed: that is logged and does not
     * block the escalation, because the quorum is the primary fence and a missing tool must not
     * leave the cluster without a leader.
     */
    public Future<Boolean> probeFree() {
        if (!settings.hasDelegateIp()) {
            return Future.succeededFuture(true);
        }
        return vertx.executeBlocking(this::fullProbe, false);
    }

    /**
     * As {@link #probeFree()}, but the probe listens only for {@code listen} (arping is asked to
     * finish then). A probe that did not finish cleanly, or finished before sending anything, is
     * inconclusive: the full probe runs after it.
     */
    public Future<Boolean> probeFree(Duration listen) {
        if (!settings.hasDelegateIp()) {
            return Future.succeededFuture(true);
        }
        return vertx.executeBlocking(() -> {
            CommandResult r = runner.runUntil("delegate IP probe", settings.expand(settings.probeCmd()), listen);
            if (r.exitCode() == ARPING_DUPLICATE && !r.timedOut()) {
                return duplicate(r);
            }
            if (r.ok() && !r.output().contains(NOTHING_SENT)) {
                LOG.info("watchdog: nobody answered for the delegate IP:\"{}\" within {} ms", settings.delegateIp(),
                        listen.toMillis());
                return free();
            }
            LOG.warn("watchdog: the short probe of the delegate IP:\"{}\" was inconclusive (exit status {}: {}); "
                    + "probing again for the full time", settings.delegateIp(), r.exitCode(), r.output());
            return fullProbe();
        }, false);
    }

    private boolean fullProbe() {
        CommandResult r = runner.run("delegate IP probe", settings.expand(settings.probeCmd()), true);
        if (r.exitCode() == ARPING_DUPLICATE && !r.timedOut()) {
            return duplicate(r);
        }
        if (!r.ok()) {
            LOG.error("watchdog: could not probe the delegate IP:\"{}\" with \"{}\" (exit status {}: {}); going "
                    + "on without the duplicate-address check", settings.delegateIp(), r.command(), r.exitCode(),
                    r.output());
        }
        return free();
    }

    private boolean duplicate(CommandResult r) {
        if (duplicates.getAndIncrement() == 0) {
            LOG.warn("watchdog: the delegate IP:\"{}\" is already in use on the network: {}", settings.delegateIp(),
                    r.output());
        } else {
            LOG.debug("watchdog: the delegate IP:\"{}\" is still in use on the network: {}", settings.delegateIp(),
                    r.output());
        }
        return false;
    }

    private boolean free() {
        duplicates.set(0);
        return true;
    }

    /** wd_escalation_command, then if_up_cmd and arping_cmd. Completes with whether the IP is up. */
    public Future<Boolean> escalate() {
        return vertx.executeBlocking(() -> {
            if (!settings.escalationCmd().isEmpty()) {
                runner.run("wd_escalation_command", settings.escalationCmd());
            }
            if (!settings.hasDelegateIp()) {
                return false;
            }
            CommandResult up = runner.run("if_up_cmd", settings.expand(settings.ifUpCmd()));
            if (!up.ok()) {
                LOG.error("watchdog: failed to acquire the delegate IP:\"{}\"", settings.delegateIp());
                return false;
            }
            holdsVip = true;
            LOG.info("successfully acquired the delegate IP:\"{}\"", settings.delegateIp());
            // Gratuitous ARP moves the clients' ARP caches; failing it is not worth dropping the IP.
            runner.run("arping_cmd", settings.expand(settings.arpingCmd()));
            return true;
        }, false);
    }

    /** wd_de_escalation_command, then if_down_cmd. */
    public Future<Void> deEscalate() {
        return vertx.executeBlocking(() -> {
            if (!settings.deEscalationCmd().isEmpty()) {
                runner.run("wd_de_escalation_command", settings.deEscalationCmd());
            }
            if (settings.hasDelegateIp()) {
                // Run even when the up command seemed to fail: the address may be there anyway.
                CommandResult down = runner.run("if_down_cmd", settings.expand(settings.ifDownCmd()));
                if (down.ok()) {
                    LOG.info("watchdog: released the delegate IP:\"{}\"", settings.delegateIp());
                }
                holdsVip = false;
            }
            return null;
        }, false);
    }
}
