package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * The web console in a real browser: detach and re-attach a standby by clicking, logging in
 * through the page's dialog, and see the table change without a reload. Needs Debian's
 * {@code chromium} (bin/install-deps installs it); skipped with that reason when it is missing.
 */
class ConsoleBrowserTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    @TempDir
    Path dir;

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STANDBY_STATUS = "document.querySelector('#node-1 td.status')?.textContent";

    @Test
    void detachAndAttachAStandbyByClickingAndSeeTheTableChangeLive() throws Exception {
        assumeTrue(Files.isExecutable(Chromium.BINARY), "chromium is not installed (bin/install-deps installs it)");
        try (RunningNode node = new RunningNode(PG.cluster(), dir.resolve("node"));
             Chromium browser = Chromium.start(node.vertx, dir.resolve("profile"))) {
            browser.navigate("http://127.0.0.1:" + node.adminPort + "/");
            // "waiting" until a session used the node, as in pgpool.
            browser.waitFor("['up', 'waiting'].includes(" + STANDBY_STATUS + ")", STANDBY_STATUS, WAIT);
            browser.waitFor("document.getElementById('live').textContent === 'live'", "document.getElementById('live').textContent", WAIT);
            // Survives only as long as the page is not reloaded.
            browser.eval("window.sameDocument = 'yes'");

            browser.click("#detach-1");
            browser.waitFor("document.getElementById('login').open", "document.getElementById('message').textContent", WAIT);
            browser.type("#login-user", RunningNode.USER);
            browser.type("#login-password", RunningNode.PASSWORD);
            browser.click("#login-ok");

            browser.waitFor(STANDBY_STATUS + " === 'down'", STANDBY_STATUS, WAIT);
            assertThat(node.awaitNodes(r -> "down".equals(r.getJsonObject(1).getString("status")), WAIT)).isNotNull();
            assertThat(browser.eval("document.getElementById('who').textContent")).isEqualTo("logged in as admin");

            browser.click("#attach-1");
            browser.waitFor(STANDBY_STATUS + " === 'up'", STANDBY_STATUS, WAIT);
            assertThat(browser.eval("document.querySelector('#node-1 td.role').textContent")).isEqualTo("standby");
            assertThat(browser.eval("window.sameDocument")).isEqualTo("yes");
            assertThat(browser.eval("document.getElementById('message').textContent")).asString().startsWith("attach node 1: ");
        }
    }
}
