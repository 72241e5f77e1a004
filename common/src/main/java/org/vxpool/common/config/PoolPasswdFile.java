package org.vxpool.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The line format of pgpool's pool_passwd, shared by the proxy (which parses every secret form)
 * and the watchdog (which only needs a clear-text password for {@code health_check_user}).
 */
public final class PoolPasswdFile {
    /** SCRAM verifiers, md5 hashes and AES entries are not passwords a client library can send. */
    static final String SCRAM_PREFIX = "SCRAM-SHA-256$";
    static final String TEXT_PREFIX = "TEXT";
    static final int MD5_ENTRY_LENGTH = 35;

    /**
     * One {@code user:secret} line.
     *
     * @param number 1-based line number
     * @param user null when the line has no colon
     */
    public record Line(int number, String user, String secret) {}

    private PoolPasswdFile() {
    }

    /** The non-blank, non-comment lines, split at the first colon (secrets may hold colons). */
    public static List<Line> split(List<String> lines) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            out.add(colon < 0 ? new Line(i + 1, null, line)
                    : new Line(i + 1, line.substring(0, colon), line.substring(colon + 1)));
        }
        return out;
    }

    /**
     * The clear-text password a secret holds ({@code TEXT...} or a bare password), else empty
     * ({@code AES...} needs the key: {@link #lookup}).
     */
    public static Optional<String> clearText(String secret) {
        if (secret.startsWith(TEXT_PREFIX)) {
            secret = secret.substring(TEXT_PREFIX.length());
        } else if (secret.startsWith(SCRAM_PREFIX) || secret.startsWith("AES")
                || (secret.startsWith("md5") && secret.length() == MD5_ENTRY_LENGTH)) {
            return Optional.empty();
        }
        return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
    }

    /** What pool_passwd holds for one user, as far as logging in with a password goes. */
    public sealed interface Lookup {
        record Password(String password) implements Lookup {}

        /** The user has an entry, but a hash or verifier that cannot be sent as a password. */
        record NotClearText() implements Lookup {}

        record Missing(String why) implements Lookup {}
    }

    /**
     * Reads {@code file} for {@code user}'s password, decrypting an {@code AES...} entry with
     * {@code key}. Blocking: call it off the event loop.
     */
    public static Lookup lookup(Path file, String user, PoolKey key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Lookup.Missing(file + ": cannot read: " + e.getMessage());
        }
        for (Line l : split(lines)) {
            if (user.equals(l.user()) && AesPasswords.isEncrypted(l.secret())) {
                try {
                    return new Lookup.Password(key.decrypt(l.secret()));
                } catch (IllegalArgumentException e) {
                    return new Lookup.Missing(file + ":" + l.number() + ": user \"" + user + "\": " + e.getMessage());
                }
            }
            if (user.equals(l.user())) {
                return clearText(l.secret()).<Lookup>map(Lookup.Password::new).orElse(new Lookup.NotClearText());
            }
        }
        return new Lookup.Missing(file + ": no entry for user \"" + user + "\"");
    }
}
