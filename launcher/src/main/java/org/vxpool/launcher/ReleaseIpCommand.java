package org.vxpool.launcher;

import java.io.PrintStream;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.watchdog.election.LeadershipSettings;
import org.vxpool.watchdog.vip.LeftoverVip;

/**
 * {@code vxpool release-ip}: removes the delegate IP from this host when it is still configured
 * here, with the node's own {@code if_down_cmd}. The systemd unit runs it as {@code ExecStopPost},
 * which systemd runs after every exit, SIGKILL and OOM kill included, so that a dead node's host
 * stops answering ARP for the address and another member can take it over.
 *
 * <p>Exit status 0 when the address is gone (or never was here), 1 when {@code if_down_cmd}
 * could not remove it. Run it only when this host's vxpool is not running: an Active node would
 * lose its address.
 */
final class ReleaseIpCommand {
    private ReleaseIpCommand() {
    }

    static int run(PoolConfig config, PrintStream out) {
        if (!config.get(Params.USE_WATCHDOG)) {
            out.println("vxpool release-ip: use_watchdog is off, vxpool manages no delegate IP; nothing to do");
            return Main.OK;
        }
        LeftoverVip.Outcome outcome = LeftoverVip.release(LeadershipSettings.from(config).vip());
        out.println("vxpool release-ip: " + switch (outcome) {
            case NO_DELEGATE_IP -> "delegate_IP is not set; nothing to do";
            case NOT_PRESENT -> "the delegate IP is not configured on this host; nothing to do";
            case RELEASED -> "removed the delegate IP from this host";
            case FAILED -> "could not remove the delegate IP (see the error above)";
        });
        return outcome == LeftoverVip.Outcome.FAILED ? Main.FAILED : Main.OK;
    }
}
