package org.vxpool.proxy.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.vxpool.common.config.AesPasswords;
import org.vxpool.common.config.PoolKey;
import org.vxpool.common.config.PoolPasswdFile;

/**
 * pgpool's pool_passwd: one {@code user:secret} line per user. The secret is split at the first
 * colon, so it may itself contain colons. Blank lines and lines starting with {@code #} are
 * skipped. Secrets are read the way pgpool reads them: {@code md5} + 32 hex digits is an md5
 * hash, {@code SCRAM-SHA-256$...} a SCRAM verifier, {@code TEXT...} a clear-text password,
 * {@code AES...} pgpool's encrypted form ({@code pg_enc -m}), decrypted with pgpool's key
 * ({@link PoolKey}) and then used exactly as a clear-text password, anything else clear text.
 */
public final class PoolPasswd {
    private final Map<String, PoolPasswdEntry> entries;

    private PoolPasswd(Map<String, PoolPasswdEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Reads the file, AES entries with this process's key. Blocking: call it off the event loop. */
    public static PoolPasswd load(Path file) throws AuthFileException {
        return load(file, PoolKey.fromEnvironment());
    }

    /** Reads the file, AES entries with {@code key}. Blocking: call it off the event loop. */
    public static PoolPasswd load(Path file, PoolKey key) throws AuthFileException {
        return parse(file.toString(), AuthFileException.readLines(file, "pool_passwd"), key);
    }

    public static PoolPasswd parse(String fileName, List<String> lines) throws AuthFileException {
        return parse(fileName, lines, PoolKey.fromEnvironment());
    }

    /** Parses {@code lines}; the key file is read only if an AES entry needs it. */
    public static PoolPasswd parse(String fileName, List<String> lines, PoolKey key) throws AuthFileException {
        Map<String, PoolPasswdEntry> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PoolPasswdFile.Line line : PoolPasswdFile.split(lines)) {
            String where = fileName + ":" + line.number() + ": ";
            String user = line.user();
            if (user == null) {
                problems.add(where + "expected user:password");
                continue;
            }
            if (user.isEmpty()) {
                problems.add(where + "empty user name");
                continue;
            }
            try {
                PoolPasswdEntry entry = AesPasswords.isEncrypted(line.secret())
                        ? new PoolPasswdEntry.Plain(key.decrypt(line.secret()))
                        : parseSecret(line.secret());
                if (entries.putIfAbsent(user, entry) != null) {
                    problems.add(where + "user \"" + user + "\" is listed twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + "user \"" + user + "\": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new AuthFileException(problems);
        }
        return new PoolPasswd(entries);
    }

    /** Reads one secret other than AES; throws IllegalArgumentException naming the problem. */
    static PoolPasswdEntry parseSecret(String secret) {
        if (secret.startsWith(ScramVerifier.PREFIX)) {
            return new PoolPasswdEntry.Scram(ScramVerifier.parse(secret).orElseThrow(() ->
                    new IllegalArgumentException("malformed SCRAM-SHA-256 verifier; expected "
                            + "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>")));
        }
        if (secret.startsWith("TEXT")) {
            secret = secret.substring(4);
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("empty password");
            }
            return new PoolPasswdEntry.Plain(secret);
        }
        // pgpool decides by prefix and length, so "md5" plus 32 characters is always meant as a
        // hash; anything else starting with md5 is an ordinary clear-text password.
        if (secret.startsWith(Md5Auth.PREFIX) && secret.length() == Md5Auth.HASH_LENGTH) {
            if (!Md5Auth.isMd5Hash(secret)) {
                throw new IllegalArgumentException("malformed md5 entry: expected md5 followed by"
                        + " 32 hex digits");
            }
            return new PoolPasswdEntry.Md5(secret.toLowerCase(Locale.ROOT));
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("empty password");
        }
        return new PoolPasswdEntry.Plain(secret);
    }

    public Optional<PoolPasswdEntry> lookup(String user) {
        return Optional.ofNullable(entries.get(user));
    }

    public int size() {
        return entries.size();
    }

    /** An empty file: every user is unknown. */
    public static PoolPasswd empty() {
        return new PoolPasswd(new LinkedHashMap<>());
    }
}
