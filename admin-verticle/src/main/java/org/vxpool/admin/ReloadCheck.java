package org.vxpool.admin;

import java.util.List;
import org.vxpool.common.config.PoolConfig;

/**
 * Problems a reloaded configuration would meet beyond its own file, found before anything is
 * applied: the launcher checks pool_passwd and pool_hba.conf with the proxy's parsers (the admin
 * API does not depend on the proxy). Called on a worker thread: may block.
 */
@FunctionalInterface
public interface ReloadCheck {
    /** Each problem as {@code file:line: problem}; empty when the reload may go ahead. */
    List<String> problems(PoolConfig newer);

    ReloadCheck NONE = newer -> List.of();
}
