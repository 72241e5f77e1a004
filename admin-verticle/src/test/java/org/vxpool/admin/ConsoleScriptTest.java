package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The console shows host names, application names, log lines and error messages that come from
 * the configuration, PostgreSQL and clients: it must insert them as text. ConsoleBrowserTest shows
 * a markup log line as text in a real browser; this guards every other place in the script.
 */
class ConsoleScriptTest {

    @Test
    void theScriptNeverInsertsMarkup() throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/webroot/console.js")) {
            assertThat(in).as("webroot/console.js on the classpath").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(script).contains("textContent")
                .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function");
    }
}
