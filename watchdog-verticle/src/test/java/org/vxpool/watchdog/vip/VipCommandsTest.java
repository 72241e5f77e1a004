package org.vxpool.watchdog.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VipCommandsTest {
    private static final String IP = VipCommands.locate("/sbin", "ip");

    private static VipCommands.Params params(String ifCmdPath, String up, String down, String arpingPath,
            String arping, String device) {
        return new VipCommands.Params("10.250.1.100", ifCmdPath, up, down, arpingPath, arping, "", "", device, 24,
                "", Duration.ofSeconds(5));
    }

    @Test
    void unsetCommandsAreBuiltForTheChosenDevice() {
        VipSettings s = VipCommands.resolve(params("/sbin", null, null, "/usr/sbin", null, "vh0"));
        assertThat(s.ifUpCmd()).isEqualTo(IP + " addr add $_IP_$/24 dev vh0 label vh0:0");
        assertThat(s.ifDownCmd()).isEqualTo(IP + " addr del $_IP_$/24 dev vh0");
        assertThat(VipCommands.locate("/nonexistent", "sh")).as("found where the distribution put it")
                .isIn("/usr/bin/sh", "/bin/sh", "/usr/sbin/sh", "/sbin/sh");
        String arping = VipCommands.locate("/usr/sbin", "arping");
        assertThat(s.arpingCmd()).isEqualTo(arping + " -U $_IP_$ -w 1 -I vh0");
        assertThat(s.probeCmd()).isEqualTo(arping + " -D -c 1 -w 1 -I vh0 $_IP_$");
        assertThat(s.expand(s.ifUpCmd())).isEqualTo(IP + " addr add 10.250.1.100/24 dev vh0 label vh0:0");
    }

    @Test
    void relativeProgramsGetThePathAndSudoIsKept() {
        VipSettings s = VipCommands.resolve(params("/usr/sbin", "sudo ip addr add $_IP_$/24 dev eth1 label eth1:0",
                "ip addr del $_IP_$/24 dev eth1", "/usr/sbin", "/usr/bin/arping -U $_IP_$ -I eth1", ""));
        assertThat(s.ifUpCmd()).isEqualTo("sudo /usr/sbin/ip addr add $_IP_$/24 dev eth1 label eth1:0");
        assertThat(s.ifDownCmd()).isEqualTo("/usr/sbin/ip addr del $_IP_$/24 dev eth1");
        assertThat(s.arpingCmd()).as("absolute program untouched").isEqualTo("/usr/bin/arping -U $_IP_$ -I eth1");
        assertThat(s.probeCmd()).as("device from if_up_cmd, sudo like if_up_cmd")
                .isEqualTo("sudo " + VipCommands.locate("/usr/sbin", "arping") + " -D -c 1 -w 1 -I eth1 $_IP_$");
    }

    @Test
    void pgpool32IfconfigIsTranslatedToIpAddr() {
        VipSettings s = VipCommands.resolve(params("/sbin", "ifconfig eth0:0 inet $_IP_$ netmask 255.255.0.0",
                "ifconfig eth0:0 down", "/usr/sbin", "arping -U $_IP_$ -w 1", ""));
        assertThat(s.ifUpCmd()).isEqualTo(IP + " addr add $_IP_$/16 dev eth0 label eth0:0");
        assertThat(s.ifDownCmd()).isEqualTo(IP + " addr del $_IP_$/24 dev eth0");
        assertThat(s.arpingCmd()).as("relative program found where the distribution put it")
                .isEqualTo(VipCommands.locate("/usr/sbin", "arping") + " -U $_IP_$ -w 1 -I eth0");
    }

    @Test
    void sudoIfconfigKeepsSudo() {
        String translated = VipCommands.translateIfconfig(
                "/usr/bin/sudo /sbin/ifconfig eth2:1 inet $_IP_$ netmask 255.255.255.0", "/sbin/ip", 24);
        assertThat(translated).isEqualTo("/usr/bin/sudo /sbin/ip addr add $_IP_$/24 dev eth2 label eth2:1");
        assertThat(VipCommands.translateIfconfig("/bin/true", "/sbin/ip", 24)).isEqualTo("/bin/true");
    }

    @Test
    void noDelegateIpMeansNoAddressCommands() {
        VipSettings s = VipCommands.resolve(new VipCommands.Params("", "/sbin", null, null, "/usr/sbin", null,
                "/bin/true", "", "eth0", 24, "", Duration.ofSeconds(1)));
        assertThat(s.hasDelegateIp()).isFalse();
        assertThat(s.escalationCmd()).isEqualTo("/bin/true");
    }
}
