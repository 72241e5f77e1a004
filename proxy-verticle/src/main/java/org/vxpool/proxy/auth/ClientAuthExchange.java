package org.vxpool.proxy.auth;

import org.vxpool.proxy.protocol.SqlState;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.vxpool.proxy.auth.message.AuthenticationRequest;
import org.vxpool.proxy.auth.message.SaslInitialResponse;
import org.vxpool.proxy.auth.message.SaslResponse;

/**
 * vxpool's server side of one client's authentication: {@link #start()} says what to send first,
 * then every {@code 'p'} message body the client sends goes to {@link #onMessage(Buffer)} until a
 * {@link Step.Success}. Any failure is an {@link AuthException} worded as PostgreSQL words it:
 * a wrong password, an unknown user and a user without a usable secret all look the same.
 *
 * <p>Method choices follow PostgreSQL: under {@code md5} a user whose secret is a SCRAM verifier
 * does SCRAM; under {@code scram-sha-256} an md5-only user fails (after a mock exchange). An
 * unknown user under {@code md5} gets an md5 challenge, like the plain-text and md5 entries that
 * pgpool setups mostly hold.
 */
public final class ClientAuthExchange {

    /** What the session does next. */
    public sealed interface Step {
        /** Send this request and hand the client's next {@code 'p'} message to {@link #onMessage}. */
        record Challenge(AuthenticationRequest request) implements Step {
        }

        /**
         * Authenticated: send these (the SCRAM server-final message if any, then
         * AuthenticationOk), and log in to backends with {@code credentials}.
         */
        record Success(List<AuthenticationRequest> send, LoginSecret credentials) implements Step {
        }
    }

    private enum Phase { NEW, CLEARTEXT, MD5, SASL_INITIAL, SASL_FINAL, DONE }

    private final PoolAuthenticator owner;
    private final HbaRule rule;
    private final AuthMethod method;
    private final String user;
    private final Optional<PoolPasswdEntry> entry;
    private final boolean acceptAnyPassword;
    private Phase phase = Phase.NEW;
    private byte[] md5Salt;
    private ScramServer scram;

    ClientAuthExchange(PoolAuthenticator owner, HbaRule rule, String user, Optional<PoolPasswdEntry> entry) {
        this(owner, rule, rule.method(), user, entry, false);
    }

    private ClientAuthExchange(PoolAuthenticator owner, HbaRule rule, AuthMethod method, String user,
            Optional<PoolPasswdEntry> entry, boolean acceptAnyPassword) {
        this.owner = owner;
        this.rule = rule;
        this.method = method;
        this.user = user;
        this.entry = entry;
        this.acceptAnyPassword = acceptAnyPassword;
    }

    /**
     * pgpool's {@code allow_clear_text_frontend_auth} (which applies only with pool_hba off): ask
     * the client for its clear-text password and take it as the backend credentials unverified;
     * the backend's own check of it is the authentication.
     */
    public static ClientAuthExchange clearTextForBackend(String user) {
        // The clear-text method needs neither randomness nor pool_passwd: no owner.
        return new ClientAuthExchange(null, null, AuthMethod.PASSWORD, user, Optional.empty(), true);
    }

    /** The pool_hba.conf line that chose the method; null for {@link #clearTextForBackend}. */
    public HbaRule rule() {
        return rule;
    }

    public Step start() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("exchange already started");
        }
        switch (method) {
            case TRUST -> {
                phase = Phase.DONE;
                return new Step.Success(List.of(new AuthenticationRequest.Ok()),
                        entry.map(LoginSecret::of).orElse(new LoginSecret.None()));
            }
            case PASSWORD -> {
                phase = Phase.CLEARTEXT;
                return new Step.Challenge(new AuthenticationRequest.CleartextPassword());
            }
            case MD5 -> {
                if (entry.orElse(null) instanceof PoolPasswdEntry.Scram) {
                    return startScram();
                }
                phase = Phase.MD5;
                md5Salt = new byte[4];
                owner.random().nextBytes(md5Salt);
                return new Step.Challenge(new AuthenticationRequest.Md5Password(md5Salt));
            }
            case SCRAM_SHA_256 -> {
                return startScram();
            }
            default -> throw new IllegalStateException("method " + method + " has no exchange");
        }
    }

    private Step startScram() {
        PoolPasswdEntry e = entry.orElse(null);
        if (e instanceof PoolPasswdEntry.Scram s) {
            scram = ScramServer.forVerifier(user, s.verifier(), owner.random());
        } else if (e instanceof PoolPasswdEntry.Plain p) {
            scram = ScramServer.forVerifier(user, owner.verifierFor(user, p.password()), owner.random());
        } else {
            scram = owner.mockScram(user);
        }
        phase = Phase.SASL_INITIAL;
        return new Step.Challenge(new AuthenticationRequest.Sasl(List.of(ScramServer.MECHANISM)));
    }

    /** The body of the client's {@code 'p'} message (after the length). */
    public Step onMessage(Buffer body) throws AuthException {
        switch (phase) {
            case CLEARTEXT -> {
                phase = Phase.DONE;
                return checkCleartext(password(body));
            }
            case MD5 -> {
                phase = Phase.DONE;
                return checkMd5(new String(password(body), StandardCharsets.UTF_8));
            }
            case SASL_INITIAL -> {
                SaslInitialResponse r = SaslInitialResponse.decode(body).orElseThrow(() ->
                        AuthException.malformedScram("Invalid SASLInitialResponse message."));
                byte[] serverFirst = scram.handleClientFirst(r.mechanism(), r.data());
                phase = Phase.SASL_FINAL;
                return new Step.Challenge(new AuthenticationRequest.SaslContinue(serverFirst));
            }
            case SASL_FINAL -> {
                phase = Phase.DONE;
                byte[] serverFinal = scram.handleClientFinal(SaslResponse.decode(body).data());
                return new Step.Success(List.of(new AuthenticationRequest.SaslFinal(serverFinal),
                        new AuthenticationRequest.Ok()), scramCredentials());
            }
            default -> throw new AuthException(SqlState.PROTOCOL_VIOLATION,
                    "unexpected password message in authentication state " + phase, null);
        }
    }

    private LoginSecret scramCredentials() {
        // A clear-text entry is better for backends than a ClientKey: it works with any salt.
        if (entry.orElse(null) instanceof PoolPasswdEntry.Plain p) {
            return LoginSecret.of(p);
        }
        return new LoginSecret.ScramKeys(scram.verifier(), scram.clientKey());
    }

    /** The password of a PasswordMessage (F): exactly one NUL-terminated string. */
    private static byte[] password(Buffer body) throws AuthException {
        byte[] b = body.getBytes();
        int nul = 0;
        while (nul < b.length && b[nul] != 0) {
            nul++;
        }
        if (nul != b.length - 1) {
            throw new AuthException(SqlState.PROTOCOL_VIOLATION, "invalid password packet size", null);
        }
        return java.util.Arrays.copyOf(b, nul);
    }

    private Step checkCleartext(byte[] given) throws AuthException {
        if (given.length == 0) {
            throw AuthException.passwordFailed(user, "Empty password given by client.");
        }
        Step ok = new Step.Success(List.of(new AuthenticationRequest.Ok()), new LoginSecret.Password(given));
        if (acceptAnyPassword) {
            return ok;
        }
        PoolPasswdEntry e = entry.orElseThrow(() ->
                AuthException.passwordFailed(user, "Role \"" + user + "\" is not in pool_passwd."));
        boolean matches;
        if (e instanceof PoolPasswdEntry.Plain p) {
            matches = ScramCrypto.same(given, p.password().getBytes(StandardCharsets.UTF_8));
        } else if (e instanceof PoolPasswdEntry.Md5 m) {
            matches = ScramCrypto.same(Md5Auth.encrypt(given, user).getBytes(StandardCharsets.US_ASCII),
                    m.hash().getBytes(StandardCharsets.US_ASCII));
        } else {
            ScramVerifier v = ((PoolPasswdEntry.Scram) e).verifier();
            byte[] salted = ScramCrypto.saltedPassword(SaslPrep.prepareForScram(given), v.salt(), v.iterations());
            matches = v.matchesClientKey(ScramCrypto.clientKey(salted))
                    && ScramCrypto.same(ScramCrypto.serverKey(salted), v.serverKey());
        }
        if (!matches) {
            throw AuthException.passwordFailed(user, "Password does not match for user \"" + user + "\".");
        }
        return ok;
    }

    private Step checkMd5(String response) throws AuthException {
        PoolPasswdEntry e = entry.orElseThrow(() ->
                AuthException.passwordFailed(user, "Role \"" + user + "\" is not in pool_passwd."));
        String stored = e instanceof PoolPasswdEntry.Plain p ? Md5Auth.encrypt(p.password(), user)
                : ((PoolPasswdEntry.Md5) e).hash();
        String expected = Md5Auth.saltedResponse(stored, md5Salt);
        if (!ScramCrypto.same(expected.getBytes(StandardCharsets.US_ASCII),
                response.getBytes(StandardCharsets.UTF_8))) {
            throw AuthException.passwordFailed(user, "Password does not match for user \"" + user + "\".");
        }
        return new Step.Success(List.of(new AuthenticationRequest.Ok()), LoginSecret.of(e));
    }
}
