package org.vxpool.proxy.auth;

import org.vxpool.proxy.protocol.SqlState;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.vxpool.proxy.auth.message.AuthenticationRequest;
import org.vxpool.proxy.protocol.PasswordMessage;
import org.vxpool.proxy.auth.message.SaslInitialResponse;
import org.vxpool.proxy.auth.message.SaslResponse;

/**
 * vxpool's client side of authentication at a backend: feed it every AuthenticationRequest the
 * backend sends; it answers with the message to write, or nothing once AuthenticationOk came.
 * Supports trust, password, md5 and SCRAM-SHA-256 with whatever {@link LoginSecret} the
 * client's authentication left; when they cannot answer the backend's method, it fails with a
 * message naming what pool_passwd would need.
 */
public final class BackendAuthExchange {
    private final String user;
    private final LoginSecret credentials;
    private final SecureRandom random;
    private ScramClient scram;
    private boolean done;

    public BackendAuthExchange(String user, LoginSecret credentials, SecureRandom random) {
        this.user = user;
        this.credentials = credentials;
        this.random = random;
    }

    /** True once the backend sent AuthenticationOk. */
    public boolean done() {
        return done;
    }

    /** The body of the backend's {@code 'R'} message (after the length). */
    public Optional<Buffer> onRequest(Buffer body) throws AuthException {
        return onRequest(AuthenticationRequest.decode(body));
    }

    public Optional<Buffer> onRequest(AuthenticationRequest request) throws AuthException {
        if (request instanceof AuthenticationRequest.Ok) {
            done = true;
            return Optional.empty();
        }
        if (request instanceof AuthenticationRequest.CleartextPassword) {
            return Optional.of(passwordMessage(cleartext("password")));
        }
        if (request instanceof AuthenticationRequest.Md5Password md5) {
            String stored = credentials instanceof LoginSecret.Md5Hash h ? h.hash()
                    : Md5Auth.encrypt(cleartext("md5"), user);
            return Optional.of(passwordMessage(Md5Auth.saltedResponse(stored, md5.salt())
                    .getBytes(StandardCharsets.US_ASCII)));
        }
        if (request instanceof AuthenticationRequest.Sasl sasl) {
            return Optional.of(startScram(sasl));
        }
        if (request instanceof AuthenticationRequest.SaslContinue c && scram != null) {
            return Optional.of(new SaslResponse(scram.handleServerFirst(c.data())).encode());
        }
        if (request instanceof AuthenticationRequest.SaslFinal f && scram != null) {
            scram.handleServerFinal(f.data());
            return Optional.empty();
        }
        throw new AuthException(SqlState.PROTOCOL_VIOLATION,
                "unexpected authentication request from backend: " + request, null);
    }

    private Buffer startScram(AuthenticationRequest.Sasl sasl) throws AuthException {
        if (!sasl.mechanisms().contains(ScramServer.MECHANISM)) {
            throw cannot("the backend offers none of the SASL mechanisms vxpool supports: "
                    + sasl.mechanisms());
        }
        ScramClient.ScramSecret secret;
        if (credentials instanceof LoginSecret.Password p) {
            secret = ScramClient.ScramSecret.password(p.password());
        } else if (credentials instanceof LoginSecret.ScramKeys k) {
            ScramVerifier v = k.verifier();
            secret = ScramClient.ScramSecret.clientKey(k.clientKey(), v.iterations(), v.salt(), v.serverKey());
        } else {
            throw cannot("the backend asks for SCRAM, which needs a clear-text password or a SCRAM "
                    + "verifier in pool_passwd, and pool_passwd has neither for this user");
        }
        scram = new ScramClient(user, secret, random);
        return new SaslInitialResponse(ScramServer.MECHANISM, scram.clientFirst()).encode();
    }

    /** Raw bytes, not a String: a client's password need not be valid UTF-8. */
    private static Buffer passwordMessage(byte[] password) {
        return new PasswordMessage(Buffer.buffer(password).appendByte((byte) 0)).encode();
    }

    private byte[] cleartext(String method) throws AuthException {
        if (credentials instanceof LoginSecret.Password p) {
            return p.password();
        }
        throw cannot("the backend asks for " + method + " authentication, which needs "
                + (method.equals("md5") ? "a clear-text password or an md5 hash" : "a clear-text password")
                + " in pool_passwd");
    }

    private AuthException cannot(String why) {
        return new AuthException(SqlState.INVALID_AUTHORIZATION,
                "vxpool cannot log in to the backend as user \"" + user + "\": " + why, null);
    }
}
