package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.admin.auth.PcpAuthFile;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/**
 * A reload whose pool_passwd has a bad line is refused with {@code file:line: problem} and the
 * running node keeps the pool_passwd it had: a client still logs in with the old password. A
 * good pool_passwd is read again by a reload, even though pgpool.conf did not change (pgpool's
 * reload re-reads it too).
 */
class AuthFilesReloadTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "reload-auth";

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    @TempDir
    Path dir;

    private final AdminHttp admin = new AdminHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
            ADMIN, PASSWORD);
    private final StartedNodes started = new StartedNodes();

    @AfterEach
    void killEverything() {
        started.close();
    }

    @Test
    void aBadPoolPasswdIsRefusedByReloadAndTheOldOneKeepsWorking() throws Exception {
        PgCluster pg = PG.cluster();
        NodeFiles node = NodeFiles.allocate(dir, "auth");
        Files.writeString(node.dir().resolve("pcp.conf"), ADMIN + ":" + PcpAuthFile.md5Hex(PASSWORD) + "\n");
        Files.writeString(node.dir().resolve("pool_hba.conf"), "host all all 127.0.0.1/32 scram-sha-256\n");
        Path passwd = node.dir().resolve("pool_passwd");
        Files.writeString(passwd, pg.user() + ":TEXT" + pg.password() + "\n");
        node.writeConfig(false, List.of(), List.of(pg.primary().port()), List.of("enable_pool_hba = on",
                "health_check_period = 1",
                "health_check_user = '" + pg.user() + "'",
                "health_check_password = '" + pg.password() + "'",
                "sr_check_user = '" + pg.user() + "'",
                "sr_check_password = '" + pg.password() + "'"));
        started.start(node);
        VxpoolProcess.awaitMembers(node.healthUrl(), 1, Duration.ofSeconds(90));
        ProcessResult first = select(pg, node, pg.password());
        assertThat(first.ok()).as(first.output() + Files.readString(node.logdir().resolve("vxpool.log"))).isTrue();

        // the user's vxpool password changes, but a bad line comes with it
        Files.write(passwd, List.of(pg.user() + ":TEXTnew-password", "garbage without colon"));
        HttpResponse<String> refused = admin.send(node, "POST", "/api/v1/reload", true);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(new JsonObject(refused.body()).getJsonArray("problems").getList())
                .containsExactly(passwd + ":2: expected user:password");
        ProcessResult old = select(pg, node, pg.password());
        assertThat(old.ok()).as("the old pool_passwd still holds: " + old.output()).isTrue();
        assertThat(select(pg, node, "new-password").ok()).isFalse();

        // fixed: the same pgpool.conf, and the reload reads pool_passwd again
        Files.write(passwd, List.of(pg.user() + ":TEXTnew-password"));
        HttpResponse<String> reloaded = admin.send(node, "POST", "/api/v1/reload", true);
        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        assertThat(new JsonObject(reloaded.body()).getJsonArray("changed")).isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!select(pg, node, "new-password").ok() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        ProcessResult fresh = select(pg, node, "new-password");
        assertThat(fresh.ok()).as(fresh.output()).isTrue();

        // A real node with health checks running: Micrometer's double-registration WARN
        // (launcher/MeterRegistrationTest) does not appear in its log either.
        assertThat(Files.readString(node.logdir().resolve("vxpool.log"))).doesNotContain("already registered");
    }

    /** psql through the node's proxy; vxpool checks the password against pool_passwd (SCRAM). */
    private static ProcessResult select(PgCluster pg, NodeFiles node, String password) {
        return Processes.command(PgBinaries.get().tool("psql"), "-X", "-h", "127.0.0.1", "-p", String.valueOf(node.proxyPort()),
                        "-U", pg.user(), "-d", "postgres", "-Atc", "SELECT 1")
                .env("PGPASSWORD", password).env("PGCONNECT_TIMEOUT", "5").timeout(Duration.ofSeconds(30)).run();
    }
}
