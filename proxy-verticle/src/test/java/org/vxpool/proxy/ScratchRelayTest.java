package org.vxpool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "pxpg.port", matches = "\\d+")
class ScratchRelayTest {
    @Test
    void simpleQuery() throws Exception {
        int pg = Integer.getInteger("pxpg.port");
        try (ProxyFixture f = ProxyFixture.start(ProxyFixture.view(1, List.of(), "127.0.0.1", pg), s -> s, 2)) {
            for (int round = 0; round < 3; round++) {
                try (Connection c = DriverManager.getConnection(f.jdbcUrl("postgres"), "postgres", "");
                     Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 40 + 2, current_setting('application_name')")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                    System.out.println("app=" + rs.getString(2));
                }
            }
            System.out.println(f.stats().encodePrettily());
            Thread.sleep(500);
            System.out.println(f.stats().encodePrettily());
        }
    }
}
