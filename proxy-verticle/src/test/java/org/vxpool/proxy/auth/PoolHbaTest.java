package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PoolHbaTest {
    private static final List<String> CONF = List.of(
            "# TYPE  DATABASE        USER            ADDRESS                 METHOD",
            "local   all             postgres                                trust",
            "local   all             all                                     md5",
            "hostssl secure          all             0.0.0.0/0               scram-sha-256",
            "hostnossl secure        all             all                     reject",
            "host    sameuser        all             10.1.0.0/16             password",
            "host    \"all\"           quoted          127.0.0.1/32            password  # literal db \"all\"",
            "host    db1,db2, db3    \"u,1\",u2        192.168.1.0 255.255.255.0 md5",
            "host    all             blocked         all                     reject",
            "host    all             all             ::1/128                 scram-sha-256",
            "host    all             all             fe80::/10               password",
            "host    all             all             samehost                md5",
            "host    replication     all             all                     trust",
            "host    all             all             127.0.0.0/8             \\",
            "        scram-sha-256",
            "hostgssenc all          all             all                     trust");

    private static PoolHba hba() throws AuthFileException {
        return PoolHba.parse("pool_hba.conf", CONF, () -> List.of(
                new PoolHba.InterfaceNetwork(addr("172.20.0.5"), 24)));
    }

    private static InetAddress addr(String literal) {
        return HbaAddress.parseLiteral(literal);
    }

    @ParameterizedTest(name = "{0} ssl={1} db={2} user={3} from {4} -> {5}")
    @CsvSource(nullValues = "-", value = {
        "LOCAL, false, app,    postgres, -,             trust,         2",
        "LOCAL, false, app,    alice,    -,             md5,           3",
        "HOST,  true,  secure, alice,    203.0.113.9,   scram-sha-256, 4",
        "HOST,  false, secure, alice,    127.0.0.1,     reject,        5",
        "HOST,  false, alice,  alice,    10.1.2.3,      password,      6",
        "HOST,  false, other,  alice,    10.1.2.3,      -,             -",
        "HOST,  false, all,    quoted,   127.0.0.1,     password,      7",
        "HOST,  false, db3,    'u,1',    192.168.1.77,  md5,           8",
        "HOST,  false, db2,    u2,       192.168.1.77,  md5,           8",
        "HOST,  false, db4,    u2,       192.168.1.77,  -,             -",
        "HOST,  false, db1,    u2,       192.168.2.77,  -,             -",
        "HOST,  false, app,    blocked,  127.0.0.1,     reject,        9",
        "HOST,  false, app,    alice,    ::1,           scram-sha-256, 10",
        "HOST,  false, app,    alice,    fe80::1,       password,      11",
        "HOST,  false, app,    alice,    172.20.0.5,    md5,           12",
        "HOST,  false, app,    alice,    172.20.0.6,    -,             -",
        "HOST,  false, app,    alice,    127.0.0.2,     scram-sha-256, 14",
        "HOST,  false, app,    alice,    8.8.8.8,       -,             -",
        "HOST,  true,  app,    alice,    127.0.0.2,     scram-sha-256, 14",
    })
    void firstMatchingLineWins(ConnectionType type, boolean ssl, String db, String user, String from,
            String method, Integer line) throws Exception {
        var rule = hba().match(type, ssl, db, user, from == null ? null : addr(from));
        if (method == null) {
            assertThat(rule).isEmpty();
        } else {
            assertThat(rule).hasValueSatisfying(r -> {
                assertThat(r.method().keyword()).isEqualTo(method);
                assertThat(r.line()).isEqualTo(line);
            });
        }
    }

    @Test
    void unsupportedThingsAreNamedWithTheirLine() {
        assertThatThrownBy(() -> PoolHba.parse("hba", List.of(
                "host all all 127.0.0.1/32 ident",
                "host all +admins 127.0.0.1/32 md5",
                "host @dbs all 127.0.0.1/32 md5",
                "host samerole all 127.0.0.1/32 md5",
                "host all all localhost md5",
                "host all all 127.0.0.1/33 md5",
                "hots all all 127.0.0.1/32 md5",
                "host all all 127.0.0.1/32 md5 clientcert=verify-full",
                "host all",
                "host all all 127.0.0.1 md5",
                "host \"all all 127.0.0.1/32 md5",
                "host all all 10.0.0.1 ffff:: md5",
                "host all all 127.0.0.1/32 pam"), List::of))
                .isInstanceOfSatisfying(AuthFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "hba:1: authentication method \"ident\" is not supported by vxpool (use trust, reject, password, md5 or scram-sha-256)",
                        "hba:2: group membership \"+admins\" is not supported by vxpool; list the users instead",
                        "hba:3: file inclusion \"@dbs\" is not supported by vxpool; list the names instead",
                        "hba:4: database keyword \"samerole\" is not supported by vxpool (it needs role membership from the backend)",
                        "hba:5: invalid IP address \"localhost\" (host names are not supported in pool_hba.conf; use an IP address or CIDR)",
                        "hba:6: invalid CIDR mask in address \"127.0.0.1/33\"",
                        "hba:7: invalid connection type \"hots\"",
                        "hba:8: authentication option \"clientcert=verify-full\" is not supported by vxpool",
                        "hba:9: end-of-line before role specification",
                        "hba:10: invalid IP mask \"md5\"",
                        "hba:11: unterminated quoted string",
                        "hba:12: IP address and mask do not match: \"10.0.0.1\" \"ffff::\"",
                        "hba:13: authentication method \"pam\" is not supported by vxpool (use trust, reject, password, md5 or scram-sha-256)"));
    }

    @Test
    void continuedLineReportsItsFirstLineNumber() {
        assertThatThrownBy(() -> PoolHba.parse("hba", List.of("# x", "host all all \\", "  127.0.0.1/32 bogus"),
                List::of)).isInstanceOfSatisfying(AuthFileException.class,
                        e -> assertThat(e.problems()).containsExactly(
                                "hba:2: authentication method \"bogus\" is not supported by vxpool (use trust, reject, password, md5 or scram-sha-256)"));
    }

    @Test
    void quotedDoubleQuoteIsLiteral() throws Exception {
        PoolHba h = PoolHba.parse("hba", List.of("host all \"a\"\"b\" all trust"), List::of);
        assertThat(h.match(ConnectionType.HOST, false, "x", "a\"b", addr("1.2.3.4"))).isPresent();
    }

    @Test
    void hostsAreFormattedLikePostgres() {
        assertThat(new ClientConnection(ConnectionType.HOST, false, "d", "u", addr("::1")).hostForMessages())
                .isEqualTo("::1");
        assertThat(new ClientConnection(ConnectionType.HOST, false, "d", "u", addr("2001:db8:0:0:1:0:0:1"))
                .hostForMessages()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(new ClientConnection(ConnectionType.HOST, false, "d", "u", addr("fe80:0:0:0:0:0:0:0"))
                .hostForMessages()).isEqualTo("fe80::");
        assertThat(new ClientConnection(ConnectionType.LOCAL, false, "d", "u", null).hostForMessages())
                .isEqualTo("[local]");
    }
}
