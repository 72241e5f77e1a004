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
import org.vxpool.testkit.RecoveryFixture;

/**
 * The web console in a real browser: detach and re-attach a standby by clicking, logging in
 * through the page's dialog, and see the table change without a reload; recover a failed standby
 * with the recovery button and watch its stages appear live. Needs Debian's
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

    @Test
    void theRecoveryButtonShowsEachStageLiveUntilTheNodeIsBack() throws Exception {
        assumeTrue(Files.isExecutable(Chromium.BINARY), "chromium is not installed (bin/install-deps installs it)");
        try (PgCluster pg = RecoveryFixture.start(dir.resolve("pg"));
             RunningNode node = new RunningNode(pg, dir.resolve("node"), String.join("\n",
                     "recovery_user = '" + pg.user() + "'", "recovery_password = '" + pg.password() + "'",
                     "recovery_1st_stage_command = 'recovery_1st_stage'", "recovery_timeout = 60", ""));
             Chromium browser = Chromium.start(node.vertx, dir.resolve("profile"))) {
            browser.navigate("http://127.0.0.1:" + node.adminPort + "/");
            browser.waitFor("document.getElementById('live').textContent === 'live'", "document.getElementById('live').textContent", WAIT);
            browser.eval("window.sameDocument = 'yes'");
            assertThat(browser.eval("document.getElementById('recovery-section').hidden")).isEqualTo(true);

            pg.node(1).kill();
            browser.waitFor(STANDBY_STATUS + " === 'down'", STANDBY_STATUS, WAIT);
            // What the block showed, sampled faster than any stage lasts, to prove it was live.
            browser.eval("window.seen = []; setInterval(() => { const d = document.querySelector('#progress-1');"
                    + " const v = d ? d.dataset.state + ':' + d.querySelectorAll('li').length : 'none';"
                    + " if (window.seen[window.seen.length - 1] !== v) window.seen.push(v); }, 20)");
            browser.click("#recovery-1");
            browser.waitFor("document.getElementById('login').open", "document.getElementById('message').textContent", WAIT);
            browser.type("#login-user", RunningNode.USER);
            browser.type("#login-password", RunningNode.PASSWORD);
            browser.click("#login-ok");

            browser.waitFor("document.querySelector('#progress-1')?.dataset.state === 'done'",
                    "document.getElementById('recovery').textContent", Duration.ofSeconds(120));
            assertThat(browser.eval("[...document.querySelectorAll('#progress-1 li')].map(li => li.dataset.stage).join()"))
                    .isEqualTo("first_stage,remote_start,wait_for_connections,failback");
            assertThat(String.valueOf(browser.eval("window.seen.join()")))
                    .as("the stages appeared one by one while the recovery ran").contains("running:1").contains("running:2")
                    .endsWith("done:4");
            assertThat(browser.eval("document.querySelector('#progress-1 li').textContent")).asString()
                    .matches("1st stage \\(basebackup\\): started .+, took [0-9.]+ s");
            assertThat(browser.eval("document.querySelector('#progress-1 h3').textContent")).asString()
                    .matches("node 1: done — started .+, elapsed [0-9.]+ s");
            assertThat(browser.eval("document.querySelector('#progress-1 pre.result').textContent"))
                    .isEqualTo("node 1 recovered as a standby of node 0");
            browser.waitFor(STANDBY_STATUS + " === 'up'", STANDBY_STATUS, WAIT);
            assertThat(browser.eval("window.sameDocument")).isEqualTo("yes");
        }
    }
}
