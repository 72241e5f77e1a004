package org.vxpool.proxy.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import org.vxpool.common.model.BackendNode;
import org.vxpool.proxy.protocol.Frame;
import org.vxpool.proxy.protocol.StartupMessage;

/** What a {@link ClientAuthenticator} may see and do during one client's start-up. */
public interface AuthContext {

    StartupMessage startup();

    SocketAddress remoteAddress();

    /** Whether the client connection is TLS. */
    boolean ssl();

    /** The client's TLS session (for SCRAM channel binding, client certificates), or null. */
    javax.net.ssl.SSLSession sslSession();

    Vertx vertx();

    /** The backend the session will log in to (currently the primary). */
    BackendNode node();

    /** Whether logins of this (node, user, database) have needed no password so far. */
    boolean backendTrusts();

    /** Writes a message (e.g. AuthenticationSASL) to the client. */
    void send(Buffer message);

    /** The client's next message (type and body), e.g. a PasswordMessage 'p'. */
    Future<Frame> readMessage();
}
