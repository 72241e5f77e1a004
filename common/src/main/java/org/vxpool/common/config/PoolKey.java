package org.vxpool.common.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgpool-II's key for {@code AES...} passwords. pgpool looks for it the way this class does: the
 * file given with {@code -k} (vxpool: {@code -k} / {@code --key-file}, which sets
 * {@value #PROPERTY}), else the file named by {@code PGPOOLKEYFILE}, else {@code $HOME/.pgpoolkey}
 * of the user running it. The key is the file's first line without its newline. The file is read
 * only when an AES password needs it, and again for each new instance (a reload re-reads it).
 */
public final class PoolKey {
    public static final String ENV = "PGPOOLKEYFILE";
    public static final String PROPERTY = "vxpool.keyFile";
    public static final String FILE_NAME = ".pgpoolkey";

    /**
     * Looked up when needed, not at class load: the launcher checks the auth files before it
     * points logging at the configured logdir, and an early lookup would start logging with the
     * sample logback.xml's fallback, a vxpool.log in the working directory (FatJarIT).
     */
    private static Logger log() {
        return LoggerFactory.getLogger(PoolKey.class);
    }
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final String where;
    private String key;
    private String problem;
    private String warning;

    private PoolKey(Path file, String where) {
        this.file = file;
        this.where = where;
    }

    /** The key of this process: {@value #PROPERTY}, {@code PGPOOLKEYFILE}, {@code $HOME/.pgpoolkey}. */
    public static PoolKey fromEnvironment() {
        return locate(System.getProperty(PROPERTY), System.getenv(), System.getProperty("user.home"));
    }

    /** The key in {@code file} (tests, or an explicit {@code -k}). */
    public static PoolKey at(Path file) {
        return new PoolKey(file, "key file " + file);
    }

    /** pgpool's lookup order, from explicit inputs. {@code userHome} is used when HOME is unset. */
    public static PoolKey locate(String given, Map<String, String> env, String userHome) {
        if (given != null && !given.isEmpty()) {
            return new PoolKey(Path.of(given), "key file " + given + " (-k)");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return new PoolKey(Path.of(fromEnv), "key file " + fromEnv + " (" + ENV + ")");
        }
        String home = env.getOrDefault("HOME", userHome);
        Path path = Path.of(home == null ? "" : home, FILE_NAME);
        return new PoolKey(path, "key file " + path + " ($HOME/" + FILE_NAME + "; set " + ENV
                + " or start vxpool with -k to use another)");
    }

    public Path file() {
        return file;
    }

    /**
     * Decrypts an {@code AES...} password with this key. Blocking on first use (reads the file).
     *
     * @throws IllegalArgumentException naming the key file when there is no usable key, or the
     *     problem with the encrypted text; never containing a password or the key
     */
    public synchronized String decrypt(String secret) {
        byte[] cipherText = AesPasswords.cipherText(secret);
        if (key == null && problem == null) {
            read();
        }
        if (key == null) {
            throw new IllegalArgumentException("AES-encrypted password, but no key to decrypt it: " + problem);
        }
        try {
            return AesPasswords.decrypt(cipherText, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + where + ")");
        }
    }

    private void read() {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                problem = Files.exists(file) ? where + " is not a plain file" : "no " + where;
                return;
            }
            warnIfShared();
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problem = "no " + where;
            return;
        } catch (AccessDeniedException e) {
            problem = "cannot read " + where + ": permission denied for the user running vxpool";
            return;
        } catch (IOException e) {
            problem = "cannot read " + where + ": " + e.getMessage();
            return;
        }
        // pgpool keeps the first line as is, dropping only its '\n' (fgets), so a key written
        // with "echo key > ~/.pgpoolkey" and one given to pg_enc -K key are the same key.
        String text = new String(bytes, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String first = newline < 0 ? text : text.substring(0, newline);
        if (first.isEmpty()) {
            problem = where + " is empty (the key is its first line)";
            return;
        }
        key = first;
    }

    /** pgpool warns and still uses a key file others can read; so does vxpool. */
    private void warnIfShared() throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        }
        if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
            warning = "pool key file \"" + file + "\" has group or world access; permissions should be"
                    + " u=rw (0600) or less";
            log().warn(warning);
        }
    }

    /** The permission warning of the last read, if the file was readable by group or others. */
    public synchronized Optional<String> warning() {
        return Optional.ofNullable(warning);
    }

    @Override
    public String toString() {
        return "PoolKey[" + where + "]";
    }
}
