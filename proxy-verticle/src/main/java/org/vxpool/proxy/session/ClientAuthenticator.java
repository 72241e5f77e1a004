package org.vxpool.proxy.session;

import io.vertx.core.Future;

/**
 * The pluggable step of start-up: decides how a client is authenticated. It runs after the
 * StartupMessage was read, the client counted against num_init_children and the backend node
 * chosen, and before any backend connection is taken. It may talk to the client through
 * {@link AuthContext#send} / {@link AuthContext#readMessage} (e.g. a SCRAM exchange against
 * pool_passwd). Start-up sends AuthenticationOk itself afterwards unless the backend's was relayed.
 * A failure with a {@link org.vxpool.proxy.protocol.PgProtocolException} reaches the client as a
 * FATAL ErrorResponse with its SQLSTATE (28P01, 28000...).
 */
public interface ClientAuthenticator {

    Future<AuthOutcome> authenticate(AuthContext ctx);
}
