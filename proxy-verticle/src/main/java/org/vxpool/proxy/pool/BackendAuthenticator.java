package org.vxpool.proxy.pool;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.protocol.Authentication;

/**
 * Answers the authentication requests of one backend login. Pass-through relays them to the
 * client; credential-based logins compute the answers.
 */
public interface BackendAuthenticator {

    /**
     * Answers one Authentication* (B) request other than AuthenticationOk.
     *
     * @param raw the request as received, for relaying
     * @return the whole response message to send (PasswordMessage / SASL response, type 'p'), or
     *     a null result when the request needs no answer (AuthenticationSASLFinal)
     */
    Future<Buffer> answer(Authentication request, Buffer raw);

    /** The backend sent AuthenticationOk ({@code raw}). */
    default void accepted(Buffer raw) {
    }
}
