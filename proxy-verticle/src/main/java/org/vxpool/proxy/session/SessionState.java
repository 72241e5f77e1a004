package org.vxpool.proxy.session;

/** Where a client session is; {@link ClientSession#moveTo} is the only transition. */
public enum SessionState {
    /** Connected; reading SSLRequest / StartupMessage / CancelRequest. */
    STARTUP,
    /**
     * StartupMessage read, but no primary is known (start-up, failover): waiting for a view with
     * one, at most search_primary_node_timeout. Holds no backend connection.
     */
    WAITING_PRIMARY,
    /**
     * StartupMessage read while a graceful detach waits for every client to leave ({@link Drain}):
     * held, as pgpool-II holds new clients then, until the wait is over. Not a connected client
     * yet (num_init_children, the detach's count); holds no backend connection.
     */
    HELD,
    /** StartupMessage read; authenticating and acquiring the backend connection. */
    AUTHENTICATING,
    /** Ready for query: nothing outstanding on the backend. */
    IDLE,
    /** A query, batch or function call is outstanding. */
    IN_QUERY,
    /** The backend sent CopyInResponse: the client streams CopyData. */
    COPY_IN,
    /** The backend sent CopyOutResponse or CopyBothResponse: CopyData flows to the client. */
    COPY_OUT,
    CLOSED
}
