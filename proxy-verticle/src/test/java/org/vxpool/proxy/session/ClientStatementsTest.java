package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.protocol.Parse;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.StatementKind;

class ClientStatementsTest {

    @Test
    void backendMessagesNameTheClientsStatement() {
        ClientStatements st = new ClientStatements();
        ClientStatements.Entry e = st.register(new Parse("r1", "SELECT 3", List.of()),
                ClassifiedStatement.of(StatementKind.READ, "test", "SELECT 3"));
        assertThat(e.internal()).startsWith(ClientStatements.PREFIX);
        String backend = "bind message supplies 1 parameters, but prepared statement \"" + e.internal() + "\" requires 0";
        assertThat(st.withClientNames(backend))
                .isEqualTo("bind message supplies 1 parameters, but prepared statement \"r1\" requires 0");
        assertThat(st.withClientNames("prepared statement \"vx_unknown\" does not exist"))
                .isEqualTo("prepared statement \"vx_unknown\" does not exist");
    }
}
