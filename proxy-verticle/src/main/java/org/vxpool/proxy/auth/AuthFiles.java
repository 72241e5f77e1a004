package org.vxpool.proxy.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.config.ConfigPasswords;
import org.vxpool.common.config.ConfigProblem;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;

/**
 * The authentication files a start or a reload reads, checked before anything runs or changes, so
 * that a bad line is a {@code file:line: problem} at once (exit 2, a refused reload) instead of a
 * file silently accepted:
 * <ul>
 *   <li>pool_passwd whenever the file exists. pgpool reads it at start whatever
 *       {@code enable_pool_hba} says (it serves backend logins and the health check, sr_check and
 *       recovery passwords too; vxpool's health check takes {@code health_check_password} from it).
 *       It must exist only when client authentication uses it;</li>
 *   <li>pool_hba.conf when {@code enable_pool_hba} is on;</li>
 *   <li>pgpool's key ({@link PoolKey}) for every {@code AES...} password, in pool_passwd and in
 *       the configuration's {@code *_password} parameters. pgpool only warns and goes on without
 *       the password; vxpool names the key file it looked for.</li>
 * </ul>
 * Blocking: file reads.
 */
public final class AuthFiles {
    private AuthFiles() {
    }

    /** Every problem, each {@code file:line: problem}; empty when both files are fine. */
    public static List<String> problems(PoolConfig config, Path hbaFile) {
        return problems(config, hbaFile, PoolKey.fromEnvironment());
    }

    /** As {@link #problems(PoolConfig, Path)}, with {@code key} for AES passwords. */
    public static List<String> problems(PoolConfig config, Path hbaFile, PoolKey key) {
        List<String> problems = new ArrayList<>();
        ConfigPasswords.problems(config, key).stream().map(ConfigProblem::toString).forEach(problems::add);
        try {
            passwd(config, usedByClientAuth(config), key);
        } catch (AuthFileException e) {
            problems.addAll(e.problems());
        }
        if (config.get(Params.ENABLE_POOL_HBA)) {
            try {
                PoolHba.load(hbaFile(config, hbaFile));
            } catch (AuthFileException e) {
                problems.addAll(e.problems());
            }
        }
        return problems;
    }

    static boolean usedByClientAuth(PoolConfig config) {
        return config.get(Params.ENABLE_POOL_HBA) || config.get(Params.ALLOW_CLEAR_TEXT_FRONTEND_AUTH);
    }

    /** pool_hba.conf: the launcher's {@code -a}, else next to the configuration file. */
    static Path hbaFile(PoolConfig config, Path given) {
        return given != null ? given : config.resolve("pool_hba.conf");
    }

    /**
     * pool_passwd, parsed and checked. {@code pool_passwd = ''} is an empty file; a missing file is
     * a problem only when {@code required}.
     */
    static PoolPasswd passwd(PoolConfig config, boolean required, PoolKey key) throws AuthFileException {
        String file = config.get(Params.POOL_PASSWD);
        if (file.isEmpty()) {
            return PoolPasswd.empty();
        }
        Path path = config.resolve(file);
        if (!required && !Files.exists(path)) {
            return PoolPasswd.empty();
        }
        return PoolPasswd.load(path, key);
    }
}
