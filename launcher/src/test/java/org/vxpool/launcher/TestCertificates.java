package org.vxpool.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away PEM certificates made with the openssl command at test time, so no private key is
 * committed. Every certificate names 127.0.0.1 and localhost, and lives one day.
 */
final class TestCertificates {
    private final Path dir;

    /** A PEM certificate and its private key. */
    record Pair(Path cert, Path key) {
    }

    TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA called {@code name}. */
    Pair authority(String name) throws IOException, InterruptedException {
        Pair ca = pair(name);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", ca.key().toString(), "-out", ca.cert().toString(), "-days", "1", "-subj", "/CN=" + name);
        return ca;
    }

    /** A certificate called {@code name} signed by {@code ca}. */
    Pair signedBy(Pair ca, String name) throws IOException, InterruptedException {
        Pair leaf = pair(name);
        Path csr = dir.resolve(name + ".csr");
        Path ext = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", leaf.key().toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-out", leaf.cert().toString(), "-days", "1", "-extfile", ext.toString());
        return leaf;
    }

    private Pair pair(String name) {
        return new Pair(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command + " failed:\n" + Files.readString(log));
        }
    }
}
