package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PgClusterFailureTest {

    @Test
    void aServerThatCannotStartFailsWithItsLogAndLeavesNothingBehind() {
        PgFixtureException failure = catchThrowableOfType(PgFixtureException.class,
                () -> PgCluster.builder().setting("shared_buffers", "'lots'").start());
        assertThat(failure).hasMessageContaining("postmaster exited")
                .hasMessageContaining("invalid value for parameter \"shared_buffers\"");
        // the message names the server log inside the cluster's directory, which must be gone
        Matcher dir = Pattern.compile("(/\\S+/vxpg-\\d+)/node0\\.log").matcher(failure.getMessage());
        assertThat(dir.find()).as(failure.getMessage()).isTrue();
        assertThat(Files.exists(Path.of(dir.group(1)))).isFalse();
    }

    @Test
    void badUserDefinitionsAreRejectedBeforeAnythingStarts() {
        assertThatThrownBy(() -> new DbUser("bad name", "pw", PasswordEncryption.MD5, false))
                .hasMessageContaining("user name not supported");
        assertThatThrownBy(() -> new DbUser("alice", "", PasswordEncryption.SCRAM_SHA_256, false))
                .hasMessageContaining("needs a password");
        assertThatThrownBy(() -> PgCluster.builder().standbys(-1)).hasMessageContaining("standbys must be >= 0");
    }
}
