package org.vxpool.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PcpAuthFileTest {

    @Test
    void theShippedSampleAcceptsItsDocumentedPasswordOnly() throws Exception {
        Path sample = Path.of(System.getProperty("user.dir")).resolveSibling("conf").resolve("pcp.conf");
        PcpAuthFile file = PcpAuthFile.parse(Files.readString(sample));
        assertThat(file.accepts("admin", "admin-secret")).isTrue();
        assertThat(file.accepts("admin", "admin-secreT")).isFalse();
        assertThat(file.accepts("root", "admin-secret")).isFalse();
    }

    @Test
    void commentsBlankAndMalformedLinesAreSkippedAndHashesAreCaseInsensitive() {
        PcpAuthFile file = PcpAuthFile.parse("""
                # comment
                
                broken line
                bad:nothex
                ops:%s
                """.formatted(PcpAuthFile.md5Hex("pw").toUpperCase()));
        assertThat(file.accepts("ops", "pw")).isTrue();
        assertThat(file.hashOf("bad")).isEmpty();
        assertThat(file.hashOf("broken line")).isEmpty();
    }

    @Test
    void basicHeadersAreDecodedAndGarbageIsRejected() {
        assertThat(BasicAuth.credentials("Basic YWRtaW46czNjOnJldA==")).hasValueSatisfying(c ->
                assertThat(c).containsExactly("admin", "s3c:ret"));
        assertThat(BasicAuth.credentials("Basic !!!")).isEmpty();
        assertThat(BasicAuth.credentials("Bearer abc")).isEmpty();
        assertThat(BasicAuth.credentials(null)).isEmpty();
    }
}
