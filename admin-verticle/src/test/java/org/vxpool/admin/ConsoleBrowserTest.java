package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
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

    @BeforeEach
    void needsChromium() {
        assumeTrue(Files.isExecutable(Chromium.BINARY), "chromium is not installed (bin/install-deps installs it)");
    }

    @Test
    void detachAndAttachAStandbyByClickingAndSeeTheTableChangeLive() throws Exception {
        try (RunningNode node = new RunningNode(PG.cluster(), dir.resolve("node"));
             Chromium browser = Chromium.start(node.vertx, dir.resolve("profile"))) {
            browser.navigate("http://127.0.0.1:" + node.adminPort + "/");
            // "waiting" until a session used the node, as in pgpool.
            browser.waitFor("['up', 'waiting'].includes(" + STANDBY_STATUS + ")", STANDBY_STATUS, WAIT);
            browser.waitFor("document.getElementById('live').textContent === 'live'", "document.getElementById('live').textContent", WAIT);
            // Survives only as long as the page is not reloaded.
            browser.eval("window.sameDocument = 'yes'");

            browser.click("#detach-1");
            answer(browser, "Detach node 1 (127.0.0.1:", "#ask-ok");
            logIn(browser, RunningNode.PASSWORD);

            browser.waitFor(STANDBY_STATUS + " === 'down'", STANDBY_STATUS, WAIT);
            assertThat(node.awaitNodes(r -> "down".equals(r.getJsonObject(1).getString("status")), WAIT)).isNotNull();
            assertThat(browser.eval("document.getElementById('who').textContent")).isEqualTo("logged in as admin");

            // Detaching the last node that is up is possible, as in pgpool, but the question says what follows.
            browser.click("#detach-0");
            answer(browser, "It is the last node that is not down", "#ask-cancel");
            browser.waitFor("document.getElementById('message').textContent === 'detach node 0: cancelled'",
                    "document.getElementById('message').textContent", WAIT);

            browser.click("#attach-1");
            browser.waitFor(STANDBY_STATUS + " === 'up'", STANDBY_STATUS, WAIT);
            assertThat(browser.eval("document.querySelector('#node-1 td.role').textContent")).isEqualTo("standby");
            assertThat(browser.eval("window.sameDocument")).isEqualTo("yes");
            assertThat(browser.eval("document.getElementById('message').textContent")).asString().startsWith("attach node 1: ");

            // pcp_detach_node -g: no client is connected, so the graceful detach goes through at once
            browser.click("#detach-1");
            answer(browser, "Detach node 1 (127.0.0.1:", "#ask-gracefully");
            browser.waitFor(STANDBY_STATUS + " === 'down'", STANDBY_STATUS, WAIT);
            browser.waitFor("document.getElementById('message').textContent.startsWith('detach node 1: ')",
                    "document.getElementById('message').textContent", WAIT);
            assertThat(node.awaitNodes(r -> "down".equals(r.getJsonObject(1).getString("status")), WAIT)).isNotNull();
        }
    }

    @Test
    void theRecoveryButtonShowsEachStageLiveUntilTheNodeIsBack() throws Exception {
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
            answer(browser, "Recover node 1 (", "#ask-ok");
            logIn(browser, RunningNode.PASSWORD);

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

    @Test
    void promoteCanBeCancelledAndRefusalsSayWhyInANarrowWindowWithoutScriptErrors() throws Exception {
        try (RunningNode node = new RunningNode(PG.cluster(), dir.resolve("node"));
             Chromium browser = Chromium.start(node.vertx, dir.resolve("profile"))) {
            browser.watchErrors();
            browser.viewport(400, 640);
            browser.navigate("http://127.0.0.1:" + node.adminPort + "/");
            browser.waitFor("document.getElementById('live').textContent === 'live'", "document.getElementById('live').textContent", WAIT);
            browser.waitFor("document.querySelector('#node-1 td:nth-child(10)')?.textContent === 'streaming / async'",
                    "document.querySelector('#node-1')?.textContent", WAIT);
            assertThat(browser.eval("document.getElementById('watchdog-summary').textContent"))
                    .isEqualTo("the watchdog is off on this node (use_watchdog = off)");
            assertThat(browser.eval("document.documentElement.scrollWidth <= innerWidth"))
                    .as("no sideways scrolling of the page at 400 px").isEqualTo(true);
            assertThat(browser.eval("(() => { const r = document.getElementById('detach-1').getBoundingClientRect();"
                    + " return r.left >= 0 && r.right <= innerWidth; })()")).as("the node actions are in sight at 400 px").isEqualTo(true);

            try (Connection client = node.connect(PG.cluster()); Statement st = client.createStatement()) {
                st.execute("SELECT 1");
                browser.waitFor("document.getElementById('sessions-summary').textContent.startsWith('1 client connection (')",
                        "document.getElementById('sessions-summary').textContent", WAIT);
                assertThat(browser.eval("[...document.querySelectorAll('#pools tbody tr')].map(r => r.cells[1].textContent"
                        + " + '@' + r.cells[2].textContent).join()")).asString().contains(PG.cluster().user() + "@postgres");
                // SHOW pool_backend_stats' counts: the SELECT completed on one of the nodes
                browser.waitFor("[...document.querySelectorAll('#nodes tbody tr')].some(r =>"
                                + " /select [1-9]/.test(r.cells[12].title) && !r.cells[12].textContent.startsWith('0 / '))",
                        "[...document.querySelectorAll('#nodes tbody tr')].map(r => r.cells[12].textContent + ' ' + r.cells[12].title).join(' | ')",
                        WAIT);
            }

            assertThat(browser.eval("document.getElementById('promote-0') === null && !!document.getElementById('detach-0')"))
                    .as("promote is offered for standbys only").isEqualTo(true);
            browser.click("#promote-1");
            answer(browser, "Promote node 1 (127.0.0.1:", "#ask-cancel");
            browser.waitFor("document.getElementById('message').textContent === 'promote node 1: cancelled'",
                    "document.getElementById('message').textContent", WAIT);
            assertThat(browser.eval("(() => { const r = document.getElementById('message').getBoundingClientRect();"
                    + " return r.top >= 0 && r.bottom <= innerHeight; })()")).as("the outcome is in sight").isEqualTo(true);
            Thread.sleep(1_000);
            assertThat(node.awaitNodes(r -> true, WAIT).getJsonObject(1).getString("role")).isEqualTo("standby");

            Files.writeString(node.configFile, "health_check_period = banana\n", StandardOpenOption.APPEND);
            browser.click("#reload");
            logIn(browser, "wrong");
            browser.waitFor("document.getElementById('login').open && !document.getElementById('login-error').hidden",
                    "document.getElementById('login-error').textContent", WAIT);
            assertThat(browser.eval("document.getElementById('who').textContent")).isEqualTo("not logged in");
            browser.type("#login-password", RunningNode.PASSWORD);
            browser.click("#login-ok");
            browser.waitFor("document.querySelector('#message li')", "document.getElementById('message').textContent", WAIT);
            assertThat(browser.eval("document.querySelector('#message li').textContent"))
                    .isEqualTo(node.configFile + ":" + Files.readAllLines(node.configFile).size()
                            + ": health_check_period: invalid integer 'banana'");
            assertThat(browser.eval("document.getElementById('message').className")).isEqualTo("error");

            assertThat(browser.errors()).as("errors in the page other than the expected 401 and 400 answers")
                    .allMatch(e -> e.startsWith("network: Failed to load resource: the server responded with a status of 40"))
                    .noneMatch(e -> e.contains("favicon"));
        }
    }

    @Test
    void aStoppedPoolAndTheLogSayWhatTheyShowAndDataIsNeverMarkup() throws Exception {
        try (RunningNode node = new RunningNode(PG.cluster(), dir.resolve("node"));
             Chromium browser = Chromium.start(node.vertx, dir.resolve("profile"))) {
            browser.navigate("http://127.0.0.1:" + node.adminPort + "/");
            browser.waitFor("document.querySelector('#node-1')", "document.getElementById('nodes').textContent", WAIT);

            Files.deleteIfExists(node.logFile);
            browser.click("#log-toggle");
            logIn(browser, RunningNode.PASSWORD);
            browser.waitFor("document.getElementById('log').textContent.startsWith('log: no log file at ')",
                    "document.getElementById('log').textContent", WAIT);
            assertThat(browser.eval("document.getElementById('log-toggle').textContent")).isEqualTo("Follow log");

            Files.writeString(node.logFile, "");
            browser.click("#log-toggle");
            browser.waitFor("document.getElementById('log-toggle').textContent === 'Stop following'",
                    "document.getElementById('log').textContent", WAIT);
            assertThat(browser.eval("document.getElementById('log').textContent")).asString().contains("is empty");
            Files.writeString(node.logFile, "WARN admin API: refused user <img src=x onerror=\"window.injected=1\">\n");
            browser.waitFor("document.getElementById('log').textContent.includes('<img src=x')",
                    "document.getElementById('log').textContent", WAIT);
            assertThat(browser.eval("document.querySelector('#log img') === null && window.injected === undefined")).isEqualTo(true);

            browser.click("#pool-stop");
            answer(browser, "Stop the proxy and watchdog of this node?", "#ask-ok");
            browser.waitFor("!document.getElementById('nodes-problem').hidden", "document.getElementById('nodes').textContent", WAIT);
            assertThat(browser.eval("document.getElementById('nodes-problem').textContent"))
                    .isEqualTo("Node status unavailable: the pool is stopped on this node");
            assertThat(browser.eval("document.querySelectorAll('#nodes tbody tr').length")).isEqualTo(0);
            assertThat(browser.eval("document.getElementById('pool-stop').disabled && !document.getElementById('pool-start').disabled"))
                    .as("only start is offered for a stopped pool").isEqualTo(true);
            browser.waitFor("document.getElementById('watchdog-summary').textContent === 'the watchdog is stopped on this node'",
                    "document.getElementById('watchdog-summary').textContent", WAIT);
            browser.waitFor("document.getElementById('sessions-summary').textContent === 'the pool is stopped on this node'",
                    "document.getElementById('sessions-summary').textContent", WAIT);

            browser.click("#pool-start");
            browser.waitFor("document.querySelector('#node-1') && document.getElementById('nodes-problem').hidden",
                    "document.getElementById('nodes-problem').textContent", Duration.ofSeconds(60));
        }
    }

    /** Waits for the page's login dialog and logs in by typing, as a user would. */
    private static void logIn(Chromium browser, String password) throws Exception {
        browser.waitFor("document.getElementById('login').open", "document.getElementById('message').textContent", WAIT);
        browser.type("#login-user", RunningNode.USER);
        browser.type("#login-password", password);
        browser.click("#login-ok");
    }

    /** Waits for the page's question, checks that it contains {@code text}, and clicks an answer. */
    private static void answer(Chromium browser, String text, String button) throws Exception {
        browser.waitFor("document.getElementById('ask').open", "document.getElementById('message').textContent", WAIT);
        assertThat(browser.eval("document.getElementById('ask-text').textContent")).asString().contains(text);
        browser.click(button);
        browser.waitFor("!document.getElementById('ask').open", "document.getElementById('ask-text').textContent", WAIT);
    }
}
