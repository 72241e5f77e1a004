package org.vxpool.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad -h and -p values are usage errors (exit 2) found before any connection, not stack traces. */
class VxpoolctlOptionsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream outStream = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Vxpoolctl(Map.of(), outStream, errStream).run(args);
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        assertThat(run("-p", "70000", "node-count")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vxpoolctl: port must be 1..65535: 70000");
    }

    @Test
    void aHostThatCannotBeInAUrlIsAUsageError() {
        assertThat(run("-h", "bad host", "node-count")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vxpoolctl: invalid host name: bad host");
        assertThat(run("-h", "foo_bar", "node-count")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("vxpoolctl: invalid host name: foo_bar");
    }
}
