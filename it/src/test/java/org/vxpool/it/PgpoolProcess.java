package org.vxpool.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.admin.auth.PcpAuthFile;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/**
 * pgpool-II 4.3 (Debian's {@code pgpool2}) in front of a testkit cluster, configured like the
 * failover benchmark's vxpool: health_check_period 5, failover on backend error, and a
 * failover_command that promotes the new main node with {@code pg_promote()}. For comparison
 * runs only.
 */
final class PgpoolProcess implements AutoCloseable {
    /** The pcp user pcp.conf lists (password {@link #PCP_PASSWORD}), for {@link #pcp}. */
    static final String PCP_USER = "pcpadmin";
    private static final String PCP_PASSWORD = "pcpsecret";

    final int port;
    private final int pcpPort;
    private final Processes.Spawned process;
    private final Path dir;

    private PgpoolProcess(int port, int pcpPort, Processes.Spawned process, Path dir) {
        this.port = port;
        this.pcpPort = pcpPort;
        this.process = process;
        this.dir = dir;
    }

    static PgpoolProcess start(PgCluster pg, Path dir, String psql) throws IOException, InterruptedException {
        return start(pg, dir, psql, java.util.function.UnaryOperator.identity());
    }

    /** @param edit changes the configuration text (e.g. load balancing on) */
    static PgpoolProcess start(PgCluster pg, Path dir, String psql, java.util.function.UnaryOperator<String> edit)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = FreePorts.find();
        Path script = dir.resolve("failover.sh");
        Files.writeString(script, "#!/bin/sh\n# %d %P %H %r: promote only when the primary failed\n"
                + "[ \"$1\" = \"$2\" ] || exit 0\n"
                + "PGPASSWORD='" + pg.password() + "' " + psql + " -h \"$3\" -p \"$4\" -U " + pg.user()
                + " -d postgres -Atc 'SELECT pg_promote()'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("pool_passwd"), pg.user() + ":TEXT" + pg.password() + "\n");
        Files.writeString(dir.resolve("pool_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
        Files.writeString(dir.resolve("pcp.conf"), PCP_USER + ":" + PcpAuthFile.md5Hex(PCP_PASSWORD) + "\n");
        Path pcpPass = dir.resolve("pcppass");
        Files.writeString(pcpPass, "*:*:" + PCP_USER + ":" + PCP_PASSWORD + "\n");
        Files.setPosixFilePermissions(pcpPass, PosixFilePermissions.fromString("rw-------"));
        int pcpPort = FreePorts.find();
        Files.writeString(dir.resolve("pgpool.conf"), edit.apply(conf(pg, dir, port, pcpPort, script)));
        Processes.Spawned p = Processes.command("pgpool", "-n", "-f", dir.resolve("pgpool.conf").toString(),
                "-F", dir.resolve("pcp.conf").toString(), "-a", dir.resolve("pool_hba.conf").toString())
                .start(dir.resolve("pgpool.log"));
        PgpoolProcess pgpool = new PgpoolProcess(port, pcpPort, p, dir);
        pgpool.awaitListening(Duration.ofSeconds(30));
        return pgpool;
    }

    private static String conf(PgCluster pg, Path dir, int port, int pcpPort, Path script) {
        StringBuilder c = new StringBuilder();
        c.append("backend_clustering_mode = 'streaming_replication'\n")
                .append("listen_addresses = '127.0.0.1'\nport = ").append(port).append('\n')
                .append("socket_dir = '").append(dir).append("'\npcp_socket_dir = '").append(dir).append("'\n")
                .append("pcp_listen_addresses = ''\npcp_port = ").append(pcpPort).append('\n')
                .append("pid_file_name = '").append(dir.resolve("pgpool.pid")).append("'\nlogdir = '").append(dir).append("'\n")
                .append("num_init_children = 8\nmax_pool = 1\nload_balance_mode = off\nsr_check_period = 0\n")
                .append("health_check_period = 5\nhealth_check_timeout = 20\nhealth_check_max_retries = 0\n")
                .append("health_check_user = '").append(pg.user()).append("'\nhealth_check_password = '")
                .append(pg.password()).append("'\n")
                // pgpool searches the primary as sr_check_user
                .append("sr_check_user = '").append(pg.user()).append("'\nsr_check_password = '")
                .append(pg.password()).append("'\n")
                .append("failover_command = '").append(script).append(" %d %P %H %r'\n")
                .append("failover_on_backend_error = on\nsearch_primary_node_timeout = 30\n")
                .append("enable_pool_hba = on\npool_passwd = '").append(dir.resolve("pool_passwd")).append("'\n");
        for (PgNode n : pg.nodes()) {
            c.append("backend_hostname").append(n.id()).append(" = '").append(n.host()).append("'\n")
                    .append("backend_port").append(n.id()).append(" = ").append(n.port()).append('\n')
                    .append("backend_weight").append(n.id()).append(" = 1\n")
                    .append("backend_data_directory").append(n.id()).append(" = '").append(n.dataDir()).append("'\n")
                    .append("backend_flag").append(n.id()).append(" = 'ALLOW_TO_FAILOVER'\n");
        }
        return c.toString();
    }

    private void awaitListening(Duration max) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("pgpool did not listen on " + port + ":\n" + Files.readString(dir.resolve("pgpool.log")));
    }

    /** Runs a pcp tool ({@code pcp_detach_node}, ...) against this pgpool over its unix socket. */
    ProcessResult pcp(String tool, String... args) throws InterruptedException {
        // pgpool opens its pcp socket a moment after its client port
        Path socket = dir.resolve(".s.PGSQL." + pcpPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<String> argv = new ArrayList<>(List.of(tool, "-h", dir.toString(), "-p", String.valueOf(pcpPort),
                "-U", PCP_USER, "-w"));
        argv.addAll(List.of(args));
        return Processes.command(argv).env("PCPPASSFILE", dir.resolve("pcppass").toString())
                .timeout(Duration.ofSeconds(60)).run();
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("pgpool.log"));
    }

    @Override
    public void close() {
        process.close();
    }
}
