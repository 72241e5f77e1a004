package org.vxpool.proxy.pool;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.vxpool.proxy.protocol.PasswordMessage;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;

/**
 * How vxpool logs in to a backend on behalf of a client it authenticated itself. One
 * {@link BackendAuthenticator} per login, since SASL exchanges keep state.
 */
public interface BackendCredentials {

    BackendAuthenticator newLogin(String user);

    /** No secret at all: works only where the backend trusts vxpool's address. */
    BackendCredentials NONE = user -> (request, raw) -> Future.failedFuture(new PgProtocolException(
            SqlState.INVALID_AUTHORIZATION, "backend asked for authentication (code " + request.code()
                    + ") for user \"" + user + "\" but vxpool holds no password for it"));

    /** A clear-text password, answering cleartext and md5 requests. */
    static BackendCredentials password(String password) {
        return user -> (request, raw) -> {
            switch (request.code()) {
                case PgProtocol.Auth.CLEARTEXT_PASSWORD:
                    return Future.succeededFuture(PasswordMessage.ofPassword(password).encode());
                case PgProtocol.Auth.MD5_PASSWORD:
                    byte[] salt = request.data().getBytes(0, 4);
                    return Future.succeededFuture(PasswordMessage.ofPassword(md5Password(user, password, salt)).encode());
                default:
                    return Future.failedFuture(new PgProtocolException(SqlState.FEATURE_NOT_SUPPORTED,
                            "backend authentication method " + request.code() + " is not supported with a password"));
            }
        };
    }

    /** PostgreSQL's md5 answer: "md5" + md5(md5(password + user) + salt). */
    static String md5Password(String user, String password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            String inner = HexFormat.of().formatHex(md.digest((password + user).getBytes(StandardCharsets.UTF_8)));
            md.update(inner.getBytes(StandardCharsets.US_ASCII));
            md.update(salt);
            return "md5" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

}
