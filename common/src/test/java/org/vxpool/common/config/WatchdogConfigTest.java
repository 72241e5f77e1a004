package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogConfigTest {

    private static final String BACKENDS = "backend_hostname0 = 'db0'\nbackend_hostname1 = 'db1'\n";

    private static String legacy(String self, String... others) {
        StringBuilder sb = new StringBuilder(BACKENDS).append("use_watchdog = on\nport = 9999\n")
                .append("delegate_IP = '10.0.0.100'\nwd_hostname = '").append(self).append("'\nwd_port = 9000\n");
        for (int i = 0; i < others.length; i++) {
            sb.append("other_pgpool_hostname").append(i).append(" = '").append(others[i]).append("'\n")
                    .append("other_pgpool_port").append(i).append(" = 9999\n")
                    .append("other_wd_port").append(i).append(" = 9000\n");
        }
        return sb.toString();
    }

    private static String modern(String... hosts) {
        StringBuilder sb = new StringBuilder(BACKENDS).append("use_watchdog = on\ndelegate_ip = '10.0.0.100'\n");
        for (int i = 0; i < hosts.length; i++) {
            sb.append("hostname").append(i).append(" = '").append(hosts[i]).append("'\n")
                    .append("wd_port").append(i).append(" = 9000\n")
                    .append("pgpool_port").append(i).append(" = 9999\n");
        }
        return sb.toString();
    }

    @Test
    void legacyAndModernStylesGiveTheSameMembers() {
        WatchdogConfig on19 = PoolConfig.parse(legacy("osspc19", "osspc20"), "osspc19.conf").watchdog();
        WatchdogConfig on20 = PoolConfig.parse(legacy("osspc20", "osspc19"), "osspc20.conf").watchdog();
        WatchdogConfig m0 = PoolConfig.parse(modern("osspc19", "osspc20"), "m.conf", OptionalInt.of(0)).watchdog();
        WatchdogConfig m1 = PoolConfig.parse(modern("osspc19", "osspc20"), "m.conf", OptionalInt.of(1)).watchdog();

        List<WatchdogMember> expected = List.of(new WatchdogMember(0, "osspc19", 9000, 9999),
                new WatchdogMember(1, "osspc20", 9000, 9999));
        assertThat(on19.members()).isEqualTo(expected);
        assertThat(on20.members()).isEqualTo(expected);
        assertThat(m0.members()).isEqualTo(expected);
        assertThat(on19).isEqualTo(m0);
        assertThat(on20).isEqualTo(m1);
        assertThat(on20.self()).isEqualTo(new WatchdogMember(1, "osspc20", 9000, 9999));
        assertThat(on20.others()).containsExactly(new WatchdogMember(0, "osspc19", 9000, 9999));
        assertThat(on20.delegateIp()).contains("10.0.0.100");
        assertThat(on20.size()).isEqualTo(2);
        assertThat(on20.self().wdAddress()).isEqualTo("osspc20:9000");
    }

    @Test
    void legacyIdsAreTheSameOnEveryNodeOfAThreeNodeCluster() {
        WatchdogConfig a = PoolConfig.parse(legacy("c", "b", "a"), "c.conf").watchdog();
        WatchdogConfig b = PoolConfig.parse(legacy("a", "c", "b"), "a.conf").watchdog();
        assertThat(a.members()).isEqualTo(b.members());
        assertThat(a.members()).extracting(WatchdogMember::host).containsExactly("a", "b", "c");
        assertThat(a.self().id()).isEqualTo(2);
        assertThat(b.self().id()).isEqualTo(0);
    }

    @Test
    void membersOnOneHostDifferByPort() {
        String text = BACKENDS + """
                use_watchdog = on
                hostname0 = '127.0.0.1'
                wd_port0 = 9100
                pgpool_port0 = 9999
                hostname1 = '127.0.0.1'
                wd_port1 = 9101
                pgpool_port1 = 9998
                """;
        WatchdogConfig w = PoolConfig.parse(text, "x.conf", OptionalInt.of(1)).watchdog();
        assertThat(w.self()).isEqualTo(new WatchdogMember(1, "127.0.0.1", 9101, 9998));
        assertThat(w.member(0)).contains(new WatchdogMember(0, "127.0.0.1", 9100, 9999));
        assertThat(w.hasDelegateIp()).isFalse();
    }

    @Test
    void modernStyleNeedsANodeId() {
        assertThatThrownBy(() -> PoolConfig.parse(modern("a", "b"), "m.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("m.conf: pgpool_node_id: this node's id is not known: write it (0..1) to the file"
                        + " pgpool_node_id next to the configuration file");
        assertThatThrownBy(() -> PoolConfig.parse(modern("a", "b"), "m.conf", OptionalInt.of(2)))
                .hasMessage("m.conf: pgpool_node_id: node id 2 out of range 0..1 (hostname0..hostname1 are configured)");
    }

    @Test
    void nodeIdComesFromTheFileNextToTheConfigUnlessGiven(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, modern("a", "b", "c"));
        Files.writeString(dir.resolve("pgpool_node_id"), "2\n");
        assertThat(ConfigLoader.load(conf).watchdog().self().host()).isEqualTo("c");
        assertThat(ConfigLoader.load(conf).nodeId()).hasValue(2);
        assertThat(ConfigLoader.load(conf, OptionalInt.of(1)).watchdog().self().host()).isEqualTo("b");

        Files.writeString(dir.resolve("pgpool_node_id"), "two\n");
        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("pgpool_node_id:1: pgpool_node_id: not a node id (a non-negative integer expected)");
    }

    @Test
    void missingFileIsAConfigProblem(@TempDir Path dir) {
        Path conf = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf + ": file: not found");
    }

    @Test
    void stylesCannotBeMixed() {
        String text = modern("a", "b") + "wd_hostname = 'a'\n";
        assertThatThrownBy(() -> PoolConfig.parse(text, "mix.conf", OptionalInt.of(0)))
                .hasMessageContaining("mix.conf:5: hostname0: 4.2+ hostnameN cannot be combined with 3.x");
    }

    @Test
    void watchdogOnWithoutMembersIsAnError() {
        assertThatThrownBy(() -> PoolConfig.parse(BACKENDS + "use_watchdog = on\n", "w.conf"))
                .hasMessageStartingWith("w.conf: wd_hostname: use_watchdog is on but no members are configured");
    }

    @Test
    void memberGapsAndOrphanPortsAreErrors() {
        String text = BACKENDS + """
                use_watchdog = on
                hostname0 = 'a'
                hostname2 = 'c'
                wd_port3 = 9000
                """;
        assertThatThrownBy(() -> PoolConfig.parse(text, "g.conf", OptionalInt.of(0)))
                .hasMessage("g.conf:5: hostname2: set but hostname1 is missing (ids must run from 0 without gaps)\n"
                        + "g.conf:6: wd_port3: set but hostname3 is not");
    }

    @Test
    void emptyMemberSlotsAreIgnoredWhileWatchdogIsOff() {
        // pgpool's own sample ships hostname0..2 = '' with use_watchdog = off
        PoolConfig c = PoolConfig.parse(BACKENDS + "hostname0 = ''\nhostname1 = ''\nwd_port0 = 9000\n", "s.conf");
        assertThat(c.watchdog().enabled()).isFalse();
        assertThat(c.watchdog().others()).isEmpty();
        assertThat(c.watchdog().delegateIp()).isEqualTo(Optional.empty());
    }
}
