package org.vxpool.watchdog.vip;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a delegate IP that a previous vxpool on this host left configured: a JVM killed with
 * SIGKILL (or the OOM killer) never runs its {@code if_down_cmd}, and while the address stays, the
 * host's kernel answers ARP for it and every other member's duplicate-address probe refuses to
 * take over. Run by a node before it starts its election, and by {@code vxpool release-ip}, which
 * the systemd unit calls as {@code ExecStopPost}. Blocking: never call it on an event loop.
 */
public final class LeftoverVip {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverVip.class);

    /** What {@link #release} found and did. */
    public enum Outcome {
        /** {@code delegate_IP} is not set. */
        NO_DELEGATE_IP,
        /** The address is on none of this host's interfaces. */
        NOT_PRESENT,
        /** It was, and {@code if_down_cmd} removed it. */
        RELEASED,
        /** It was, and {@code if_down_cmd} failed (its output is logged). */
        FAILED
    }

    private LeftoverVip() {
    }

    /** Runs {@code if_down_cmd} when the delegate IP is configured on a local interface. */
    public static Outcome release(VipSettings settings) {
        if (!settings.hasDelegateIp()) {
            return Outcome.NO_DELEGATE_IP;
        }
        if (!configuredLocally(settings.delegateIp())) {
            return Outcome.NOT_PRESENT;
        }
        CommandResult down = new CommandRunner(settings.timeout()).run("if_down_cmd", settings.expand(settings.ifDownCmd()));
        if (!down.ok() || configuredLocally(settings.delegateIp())) {
            LOG.error("watchdog: could not remove the leftover delegate IP:\"{}\" from this host with \"{}\" (exit "
                    + "status {}: {}); the other members will not take it over while it is here",
                    settings.delegateIp(), down.command(), down.exitCode(), down.output());
            return Outcome.FAILED;
        }
        LOG.warn("watchdog: removed the leftover delegate IP:\"{}\" from this host (a previous vxpool here did not "
                + "release it)", settings.delegateIp());
        return Outcome.RELEASED;
    }

    /** Whether one of this host's (this network namespace's) interfaces has the address. */
    static boolean configuredLocally(String ip) {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getByName(ip)) != null;
        } catch (UnknownHostException | SocketException e) {
            LOG.warn("watchdog: cannot tell whether the delegate IP:\"{}\" is configured here: {}", ip, e.toString());
            return false;
        }
    }
}
