package org.vxpool.it.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vxpool.testkit.Processes;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * A real OpenSSH {@code sshd} inside one host namespace of a {@link NetnsLab}, listening only on
 * that host's lab address, with everything of its own: config, host key, pid file and a fresh
 * client key whose public half is the only line of its {@code AuthorizedKeysFile}. The system's
 * {@code /etc/ssh} is not read. The lab kills it on close, as any process it started.
 *
 * <p>{@code UsePAM yes}: Debian's {@code postgres} account has a locked password ({@code !}), and
 * sshd without PAM refuses every login to a locked account, keys included.
 */
final class LabSshd {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final String address;
    private final int port;
    private final Path clientKey;
    private final Path log;

    private LabSshd(String address, int port, Path clientKey, Path log) {
        this.address = address;
        this.port = port;
        this.clientKey = clientKey;
        this.log = log;
    }

    /**
     * Starts it on {@code host} at {@code port}, letting in only {@code user}, with the public key
     * written to {@code authorizedKeys} (a path {@code user} can read: sshd reads it as that user)
     * and {@code sessionEnvironment} set in every session. Its own files go to {@code dir} (root
     * only), its log to {@code sshd.txt} there. Returns once it listens.
     */
    static LabSshd start(NetnsLab lab, String host, int port, Path dir, String user, Path authorizedKeys,
            Map<String, String> sessionEnvironment) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("sshd.txt");
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        Path clientKey = dir.resolve("client_ed25519_key");
        keygen(hostKey);
        keygen(clientKey);
        Files.copy(dir.resolve("client_ed25519_key.pub"), authorizedKeys);
        String address = lab.addressOf(host);
        List<String> config = new ArrayList<>(List.of(
                "ListenAddress " + address + ":" + port,
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys,
                // The temporary directories are not laid out as sshd wants a home's .ssh to be.
                "StrictModes no",
                "UsePAM yes",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "AllowUsers " + user,
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "LogLevel VERBOSE"));
        sessionEnvironment.forEach((name, value) -> config.add("SetEnv " + name + "=" + value));
        Path configFile = dir.resolve("sshd_config");
        Files.write(configFile, config);
        // Debian's service makes sshd's privilege separation directory; without the service, we do.
        Files.createDirectories(Path.of("/run/sshd"));
        NetnsLab.Result test = lab.exec(host, SSHD.toString(), "-t", "-f", configFile.toString());
        if (!test.ok()) {
            throw new AssertionError("sshd -t rejects " + configFile + ": " + test.output());
        }
        lab.start(host, log, SSHD.toString(), "-D", "-e", "-f", configFile.toString());
        LabSshd sshd = new LabSshd(address, port, clientKey, log);
        TutorialNetwork.waitFor("sshd on " + host + " to listen", START_TIMEOUT,
                () -> sshd.log().contains("Server listening on " + address + " port " + port));
        return sshd;
    }

    private static void keygen(Path key) {
        Processes.command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vxpool-test", "-f", key.toString())
                .timeout(Duration.ofSeconds(30)).run().requireOk();
    }

    /** The scripts' SSH_OPTIONS: this key and port, no prompt, no known_hosts written. */
    String sshOptions() {
        return "-i " + clientKey + " -p " + port + " -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10";
    }

    String address() {
        return address;
    }

    /** Everything sshd has logged (with LogLevel VERBOSE: one line per accepted key and session). */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "<cannot read " + log + ": " + e.getMessage() + ">";
        }
    }

    /** How many logins of {@code user} from {@code from} sshd accepted by public key. */
    long acceptedLogins(String user, String from) {
        String line = "Accepted publickey for " + user + " from " + from + " port ";
        return log().lines().filter(l -> l.contains(line)).count();
    }
}
