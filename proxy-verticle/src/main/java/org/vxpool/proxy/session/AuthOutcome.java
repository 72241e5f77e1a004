package org.vxpool.proxy.session;

import org.vxpool.proxy.pool.BackendCredentials;

/** How start-up continues once a {@link ClientAuthenticator} has decided. */
public sealed interface AuthOutcome {

    /**
     * vxpool did not authenticate the client: open a new backend connection with the client's
     * start-up parameters and relay the backend's authentication exchange verbatim.
     */
    record PassThrough() implements AuthOutcome {
    }

    /**
     * vxpool vouches for the client (it authenticated it, or the backend trusts this user and
     * database): hand it a pooled connection, or log in a new one with {@code credentials}.
     */
    record Authenticated(BackendCredentials credentials) implements AuthOutcome {
    }

    /**
     * vxpool holds credentials it could not check itself (a clear-text password the client
     * gave, allow_clear_text_frontend_auth): log in a new connection with them, so that the
     * backend verifies them. Never a pooled connection, and the new one is not pooled either,
     * or a later client could skip the check.
     */
    record BackendVerifies(BackendCredentials credentials) implements AuthOutcome {
    }

    static AuthOutcome passThrough() {
        return new PassThrough();
    }

    static AuthOutcome authenticated(BackendCredentials credentials) {
        return new Authenticated(credentials);
    }
}
