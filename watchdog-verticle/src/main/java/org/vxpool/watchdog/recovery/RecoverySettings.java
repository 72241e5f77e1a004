package org.vxpool.watchdog.recovery;

import java.time.Duration;
import org.vxpool.common.config.ConfigPasswords;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.common.config.RecoveryMode;

/**
 * Online-recovery settings.
 *
 * @param firstStageCommand {@code recovery_1st_stage_command}: a script name in the primary's
 *     data directory (extension mode) or a command line on this host (local mode)
 * @param remoteStartCommand {@code recovery_remote_start_command}, local mode only
 * @param timeout {@code recovery_timeout}: bound on remote start plus waiting for the node
 * @param firstStageTimeout {@code recovery_1st_stage_timeout}; zero means none
 */
public record RecoverySettings(
        RecoveryMode mode,
        String user,
        String password,
        String firstStageCommand,
        String remoteStartCommand,
        Duration timeout,
        Duration firstStageTimeout) {

    /** "No bound" still has to end some time for a script that hangs. */
    static final Duration NO_TIMEOUT_CAP = Duration.ofDays(1);

    /** Nothing configured: every recovery request is refused with the missing setting's name. */
    public static final RecoverySettings NONE = new RecoverySettings(RecoveryMode.EXTENSION, "", "", "", "",
            Duration.ofSeconds(90), Duration.ZERO);

    public static RecoverySettings from(PoolConfig c) {
        return new RecoverySettings(
                c.get(Params.RECOVERY_MODE),
                c.get(Params.RECOVERY_USER),
                ConfigPasswords.clear("recovery_password", c.get(Params.RECOVERY_PASSWORD), PoolKey.fromEnvironment()),
                c.get(Params.RECOVERY_1ST_STAGE_COMMAND).strip(),
                c.get(Params.RECOVERY_REMOTE_START_COMMAND).strip(),
                c.duration(Params.RECOVERY_TIMEOUT),
                c.duration(Params.RECOVERY_1ST_STAGE_TIMEOUT));
    }

    Duration effectiveFirstStageTimeout() {
        return firstStageTimeout.isZero() ? NO_TIMEOUT_CAP : firstStageTimeout;
    }

    Duration effectiveTimeout() {
        return timeout.isZero() ? NO_TIMEOUT_CAP : timeout;
    }

    /** What is missing for a recovery in this mode, or null when nothing is. */
    String missingSetting() {
        if (firstStageCommand.isEmpty()) {
            return "recovery_1st_stage_command is not set";
        }
        if (mode == RecoveryMode.EXTENSION && user.isEmpty()) {
            return "recovery_user is not set (recovery_mode = extension connects to the primary as recovery_user)";
        }
        if (mode == RecoveryMode.LOCAL && remoteStartCommand.isEmpty()) {
            return "recovery_remote_start_command is not set (needed with recovery_mode = local)";
        }
        return null;
    }
}
