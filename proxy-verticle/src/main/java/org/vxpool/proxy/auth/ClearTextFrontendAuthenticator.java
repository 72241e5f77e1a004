package org.vxpool.proxy.auth;

import io.vertx.core.Future;
import java.security.SecureRandom;
import org.vxpool.proxy.auth.ClientAuthExchange.Step;
import org.vxpool.proxy.pool.BackendCredentials;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.session.AuthContext;
import org.vxpool.proxy.session.AuthOutcome;
import org.vxpool.proxy.session.ClientAuthenticator;

/**
 * pgpool's {@code allow_clear_text_frontend_auth} with pool_hba off: for a user pool_passwd does
 * not know, and a backend that wants a password, vxpool asks the client for its password in clear
 * text and logs in to the backend with it; the backend's check is the authentication. Everything
 * else goes as without the option: trusted logins are pooled, other users' exchanges are relayed.
 */
public final class ClearTextFrontendAuthenticator implements ClientAuthenticator {
    private final PoolPasswd passwd;
    private final SecureRandom random;

    public ClearTextFrontendAuthenticator(PoolPasswd passwd, SecureRandom random) {
        this.passwd = passwd;
        this.random = random;
    }

    @Override
    public Future<AuthOutcome> authenticate(AuthContext ctx) {
        String user = ctx.startup().user();
        if (ctx.backendTrusts()) {
            return Future.succeededFuture(AuthOutcome.authenticated(BackendCredentials.NONE));
        }
        if (passwd.lookup(user).isPresent()) {
            return Future.succeededFuture(AuthOutcome.passThrough());
        }
        ClientAuthExchange exchange = ClientAuthExchange.clearTextForBackend(user);
        ctx.send(((Step.Challenge) exchange.start()).request().encode());
        return ctx.readMessage().compose(frame -> {
            if (frame.type() != PgProtocol.Frontend.PASSWORD) {
                return Future.failedFuture(new AuthException(SqlState.PROTOCOL_VIOLATION,
                        "expected password response, got message type " + frame.type(), null));
            }
            Step.Success ok = (Step.Success) exchange.onMessage(frame.body());
            return Future.succeededFuture(new AuthOutcome.BackendVerifies(
                    LoginSecrets.backendCredentials(ok.credentials(), random)));
        });
    }
}
