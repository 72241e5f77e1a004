package org.vxpool.proxy.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.auth.message.AuthenticationRequest;
import org.vxpool.proxy.pool.BackendAuthenticator;
import org.vxpool.proxy.pool.BackendCredentials;
import org.vxpool.proxy.protocol.Authentication;

/** Plugs a {@link LoginSecret} into the pool's backend logins. */
public final class LoginSecrets {
    private static final Logger log = LoggerFactory.getLogger(LoginSecrets.class);

    private LoginSecrets() {
    }

    /** Backend logins that answer trust, password, md5 and SCRAM-SHA-256 with {@code secret}. */
    public static BackendCredentials backendCredentials(LoginSecret secret, SecureRandom random) {
        return user -> new Login(new BackendAuthExchange(user, secret, random));
    }

    private record Login(BackendAuthExchange exchange) implements BackendAuthenticator {
        @Override
        public Future<Buffer> answer(Authentication request, Buffer raw) {
            try {
                return Future.succeededFuture(exchange.onRequest(AuthenticationRequest.of(request)).orElse(null));
            } catch (AuthException e) {
                // The client only sees PostgreSQL's wording; the operator needs to know why.
                log.warn("backend login failed: {}{}", e.getMessage(),
                        e.logDetail() == null ? "" : " DETAIL: " + e.logDetail());
                return Future.failedFuture(e);
            }
        }
    }
}
