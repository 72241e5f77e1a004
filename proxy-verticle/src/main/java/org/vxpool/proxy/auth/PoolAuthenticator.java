package org.vxpool.proxy.auth;

import org.vxpool.proxy.protocol.SqlState;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client authentication by pool_hba.conf and pool_passwd, as pgpool does it with
 * {@code enable_pool_hba = on}. One instance serves many connections (it is thread-safe); each
 * connection runs its own {@link ClientAuthExchange}. Reloading the files means building a new
 * instance.
 */
public final class PoolAuthenticator {
    private final PoolHba hba;
    private final PoolPasswd passwd;
    private final SecureRandom random;
    private final byte[] mockSecret;
    private final Map<String, ScramVerifier> derivedVerifiers = new ConcurrentHashMap<>();

    public PoolAuthenticator(PoolHba hba, PoolPasswd passwd, SecureRandom random) {
        this.hba = hba;
        this.passwd = passwd;
        this.random = random;
        this.mockSecret = new byte[32];
        random.nextBytes(mockSecret);
    }

    /**
     * Matches the connection against pool_hba.conf and starts the exchange its method asks for.
     * Fails with 28000 when no line matches or the line says {@code reject}.
     */
    public ClientAuthExchange begin(ClientConnection c) throws AuthException {
        HbaRule rule = hba.match(c.type(), c.ssl(), c.database(), c.user(), c.address()).orElseThrow(() ->
                new AuthException(SqlState.INVALID_AUTHORIZATION,
                        "no pool_hba.conf entry for host \"" + c.hostForMessages() + "\", user \""
                                + c.user() + "\", database \"" + c.database() + "\", "
                                + c.encryptionForMessages(), null));
        if (rule.method() == AuthMethod.REJECT) {
            throw new AuthException(SqlState.INVALID_AUTHORIZATION,
                    "pool_hba.conf rejects connection for host \"" + c.hostForMessages() + "\", user \""
                            + c.user() + "\", database \"" + c.database() + "\", "
                            + c.encryptionForMessages(),
                    "Connection matched pool_hba.conf line " + rule.line() + ": \"" + rule.text() + "\"");
        }
        return new ClientAuthExchange(this, rule, c.user(), passwd.lookup(c.user()));
    }

    SecureRandom random() {
        return random;
    }

    ScramServer mockScram(String user) {
        return ScramServer.mock(user, mockSecret, random);
    }

    /**
     * The verifier of a clear-text pool_passwd password. Its salt is random but kept per user, so
     * the PBKDF2 cost is paid once, and a client sees a stable salt just as against PostgreSQL.
     */
    ScramVerifier verifierFor(String user, String password) {
        ScramVerifier cached = derivedVerifiers.get(user);
        if (cached != null) {
            return cached;
        }
        byte[] salt = new byte[ScramVerifier.DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        ScramVerifier v = ScramVerifier.fromPassword(password, salt, ScramVerifier.DEFAULT_ITERATIONS);
        ScramVerifier raced = derivedVerifiers.putIfAbsent(user, v);
        return raced != null ? raced : v;
    }
}
