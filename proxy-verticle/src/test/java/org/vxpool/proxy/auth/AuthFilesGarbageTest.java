package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random pool_hba.conf and pool_passwd lines load or fail with file:line problems, nothing else. */
class AuthFilesGarbageTest {
    private static final String[] WORDS = {"host", "local", "hostssl", "all", "md5", "trust", "\"", ",", "#",
        "127.0.0.1/32", "::1/128", "10.0.0.1", "255.0.0.0", "/", "\\", "+g", "@f", "x", " ", ":", "md5", "TEXT",
        "SCRAM-SHA-256$", "4096", "$", "AES", "samenet", "sameuser", "=", "é"};

    private static List<String> lines(Random r) {
        List<String> lines = new ArrayList<>();
        for (int i = r.nextInt(4); i >= 0; i--) {
            StringBuilder sb = new StringBuilder();
            for (int j = r.nextInt(8); j >= 0; j--) {
                sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextBoolean() ? " " : "");
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    @Test
    void randomLines() {
        Random r = new Random(1);
        for (int i = 0; i < 5000; i++) {
            List<String> lines = lines(r);
            Throwable hba = catchThrowable(() -> PoolHba.parse("h", lines, List::of));
            Throwable passwd = catchThrowable(() -> PoolPasswd.parse("p", lines));
            for (Throwable t : new Throwable[] {hba, passwd}) {
                if (t != null) {
                    assertThat(t).as(String.join("\n", lines)).isInstanceOf(AuthFileException.class);
                    assertThat(((AuthFileException) t).problems()).allMatch(p -> p.matches("[hp]:\\d+: .+"));
                }
            }
        }
    }
}
