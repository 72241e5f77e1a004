package org.vxpool.proxy.ssl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate made with the openssl command, for TLS tests. */
public record TestCertificates(Path cert, Path key) {

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl req failed; see " + dir.resolve("openssl.log"));
        }
        return new TestCertificates(cert, key);
    }
}
