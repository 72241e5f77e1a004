package org.vxpool.proxy.cancel;

import java.util.List;

/**
 * A session that can be cancelled. Called from any event loop, so implementations publish the
 * list through a volatile field.
 */
public interface CancelTarget {

    /** The real backend keys of the session's current backends. */
    List<BackendCancelKey> cancelKeys();
}
