package org.vxpool.proxy.session;

import io.vertx.core.Future;
import org.vxpool.proxy.pool.BackendCredentials;

/**
 * The default without pool_hba: let the backend judge. Where the backend has let this user and
 * database in without a password, pooled connections are handed over directly; otherwise the
 * backend's own authentication exchange is relayed on a new connection.
 */
public final class TrustPassThroughAuthenticator implements ClientAuthenticator {

    @Override
    public Future<AuthOutcome> authenticate(AuthContext ctx) {
        return Future.succeededFuture(ctx.backendTrusts()
                ? AuthOutcome.authenticated(BackendCredentials.NONE)
                : AuthOutcome.passThrough());
    }
}
