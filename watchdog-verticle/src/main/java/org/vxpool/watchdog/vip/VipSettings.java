package org.vxpool.watchdog.vip;

import java.time.Duration;

/**
 * Resolved delegate-IP commands: absolute programs, 3.2 syntax already translated, {@code $_IP_$}
 * still in place. Build it with {@link VipCommands#resolve}.
 *
 * @param delegateIp      the virtual IP; empty when none is configured (then only the escalation
 *                        commands run)
 * @param probeCmd        vxpool's own duplicate-address probe: exit 0 when nobody answers for the IP
 * @param escalationCmd   {@code wd_escalation_command}, empty for none
 * @param timeout         bound of each command
 */
public record VipSettings(String delegateIp, String ifUpCmd, String ifDownCmd, String arpingCmd, String probeCmd,
        String escalationCmd, String deEscalationCmd, Duration timeout) {

    public boolean hasDelegateIp() {
        return !delegateIp.isBlank();
    }

    /** {@code cmd} with every {@code $_IP_$} replaced by the delegate IP. */
    public String expand(String cmd) {
        return cmd.replace(VipCommands.IP_PLACEHOLDER, delegateIp);
    }
}
