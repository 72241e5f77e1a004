package org.vxpool.watchdog.recovery;

import io.vertx.core.Future;
import java.time.Duration;
import org.vxpool.common.config.BackendConfig;

/** Runs the two script steps of a recovery, the pgpool-II way or on this host. */
interface RecoveryScripts {

    /** Who is copied from and to. */
    record Target(BackendConfig primary, BackendConfig dest) {
    }

    /** {@code recovery_1st_stage_command}; fails with what the script said. */
    Future<Void> firstStage(Target target);

    /** Starts the destination's PostgreSQL; fails with what the script said. */
    Future<Void> remoteStart(Target target, Duration timeout);
}
