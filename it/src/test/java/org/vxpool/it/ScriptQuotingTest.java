package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped scripts that build a command line for another shell ({@code conf/failover.sh}: su
 * with /bin/sh, or ssh to the postgres user's login shell; {@code conf/recovery_1st_stage}: ssh)
 * quote its words with their own {@code shquote}. Run in the C locale, as a failover_command may
 * be, and read back by dash (Debian's /bin/sh), every word comes back as it was: spaces, quotes,
 * a newline, a tab, non-ASCII letters, $, backquotes, backslashes, globs and an empty word.
 * (bash's {@code printf %q} writes {@code $'...'} for the newline, the tab and, in the C locale,
 * for non-ASCII bytes, which dash does not read.)
 */
class ScriptQuotingTest {
    private static final Path CONF = Path.of("").toAbsolutePath().resolveSibling("conf");

    @ParameterizedTest
    @ValueSource(strings = {"failover.sh", "recovery_1st_stage"})
    void dashReadsBackEveryWordTheScriptQuotes(String script) throws Exception {
        String check = """
                source <(sed -n '/^shquote() {/,/^}/p' "$1")
                type shquote >/dev/null || exit 3
                words=(/usr/lib/postgresql/15/bin/pg_ctl -D "/srv/données/15 main" "it's" $'new\\nline' $'tab\\there' \
                    '$HOME `id` \\\\ * ?' "" "'" -w promote)
                quoted=$(LC_ALL=C shquote "${words[@]}")
                diff <(dash -c "printf '<%s>\\n' $quoted") <(printf '<%s>\\n' "${words[@]}")
                """;
        Process p = new ProcessBuilder("bash", "-c", check, "check", CONF.resolve(script).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readString(CONF.resolve(script))).as("no printf %%q left").doesNotContain("printf '%q");
    }
}
