package org.vxpool.proxy.pool;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.vxpool.proxy.auth.LoginSecret;
import org.vxpool.proxy.auth.LoginSecrets;

/**
 * How vxpool logs in to a backend on behalf of a client it authenticated itself. One
 * {@link BackendAuthenticator} per login, since SASL exchanges keep state.
 */
public interface BackendCredentials {

    BackendAuthenticator newLogin(String user);

    /** No secret at all: works only where the backend trusts vxpool's address. */
    BackendCredentials NONE = user -> (request, raw) -> Future.failedFuture(
            new MissingCredentialsException(user, request.code()));

    /** A clear-text password: answers cleartext, md5 and SCRAM-SHA-256 requests. */
    static BackendCredentials password(String password) {
        return LoginSecrets.backendCredentials(
                new LoginSecret.Password(password.getBytes(StandardCharsets.UTF_8)), new SecureRandom());
    }
}
