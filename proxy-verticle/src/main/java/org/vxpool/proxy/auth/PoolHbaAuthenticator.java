package org.vxpool.proxy.auth;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.auth.ClientAuthExchange.Step;
import org.vxpool.proxy.auth.message.AuthenticationRequest;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.session.AuthContext;
import org.vxpool.proxy.session.AuthOutcome;
import org.vxpool.proxy.session.ClientAuthenticator;

/**
 * {@code enable_pool_hba = on}: vxpool authenticates every client itself by pool_hba.conf and
 * pool_passwd, then logs in to backends with what the exchange left (a password, an md5 hash or
 * the client's ClientKey), so pooled connections can be handed to any client that authenticated.
 * Failures are logged with their reason; the client sees only PostgreSQL's wording.
 */
public final class PoolHbaAuthenticator implements ClientAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(PoolHbaAuthenticator.class);

    private final PoolAuthenticator authenticator;
    private final SecureRandom random;

    public PoolHbaAuthenticator(PoolHba hba, PoolPasswd passwd, SecureRandom random) {
        this.authenticator = new PoolAuthenticator(hba, passwd, random);
        this.random = random;
    }

    @Override
    public Future<AuthOutcome> authenticate(AuthContext ctx) {
        ClientConnection c = connectionOf(ctx);
        ClientAuthExchange exchange;
        try {
            exchange = authenticator.begin(c);
        } catch (AuthException e) {
            return failed(c, null, e);
        }
        return step(ctx, exchange, exchange.start())
                .recover(e -> e instanceof AuthException a ? failed(c, exchange.rule(), a) : Future.failedFuture(e));
    }

    private Future<AuthOutcome> step(AuthContext ctx, ClientAuthExchange exchange, Step step) {
        if (step instanceof Step.Success ok) {
            // Start-up sends AuthenticationOk itself, after the backend connection is ready.
            ok.send().stream().filter(r -> !(r instanceof AuthenticationRequest.Ok))
                    .forEach(r -> ctx.send(r.encode()));
            return Future.succeededFuture(AuthOutcome.authenticated(
                    LoginSecrets.backendCredentials(ok.credentials(), random)));
        }
        ctx.send(((Step.Challenge) step).request().encode());
        return ctx.readMessage().compose(frame -> {
            if (frame.type() != PgProtocol.Frontend.PASSWORD) {
                return Future.failedFuture(new AuthException(SqlState.PROTOCOL_VIOLATION,
                        "expected password response, got message type " + frame.type(), null));
            }
            try {
                return step(ctx, exchange, exchange.onMessage(frame.body()));
            } catch (AuthException e) {
                return Future.failedFuture(e);
            }
        });
    }

    private static Future<AuthOutcome> failed(ClientConnection c, HbaRule rule, AuthException e) {
        // PostgreSQL's log shape: the client's message, then DETAIL with the reason and the line.
        log.warn("client {}: {}{}{}", c.hostForMessages(), e.getMessage(),
                e.logDetail() == null ? "" : " DETAIL: " + e.logDetail(),
                rule == null ? "" : " Connection matched pool_hba.conf line " + rule.line() + ": \"" + rule.text() + "\"");
        return Future.failedFuture(e);
    }

    static ClientConnection connectionOf(AuthContext ctx) {
        SocketAddress remote = ctx.remoteAddress();
        String user = ctx.startup().user();
        String database = ctx.startup().database();
        if (remote == null || remote.isDomainSocket()) {
            return new ClientConnection(ConnectionType.LOCAL, ctx.ssl(), database, user, null);
        }
        // An IPv6 zone (fe80::1%eth0) is no part of what pool_hba.conf matches.
        String host = remote.hostAddress();
        int zone = host.indexOf('%');
        InetAddress address = HbaAddress.parseLiteral(zone < 0 ? host : host.substring(0, zone));
        return new ClientConnection(ConnectionType.HOST, ctx.ssl(), database, user, address);
    }
}
