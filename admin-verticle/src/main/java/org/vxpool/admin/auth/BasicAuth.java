package org.vxpool.admin.auth;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication against the pcp.conf-style {@code admin_auth_file}. The file is read
 * (asynchronously) on every protected request, so an edit takes effect at once, as pcp.conf does
 * for pcp commands. A missing file admits nobody.
 *
 * <p>A 401 says nothing about why. The console sends {@code X-Requested-With: vxpool-console} and
 * gets the challenge under another scheme name, so the browser leaves the login to the page
 * instead of popping up its own dialog.
 */
public final class BasicAuth implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuth.class);
    static final String REALM = "vxpool";
    /** Routing-context key of the authenticated user name, for log lines. */
    public static final String USER_KEY = "vxpool.admin.user";

    private final Vertx vertx;
    private final Optional<Path> file;

    public BasicAuth(Vertx vertx, Optional<Path> file) {
        this.vertx = vertx;
        this.file = file;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<String[]> credentials = credentials(ctx.request().getHeader("Authorization"));
        if (credentials.isEmpty()) {
            challenge(ctx);
            return;
        }
        String user = credentials.get()[0];
        ctx.request().pause();
        load().onComplete(loaded -> {
            ctx.request().resume();
            if (loaded.succeeded() && loaded.result().accepts(user, credentials.get()[1])) {
                ctx.put(USER_KEY, user);
                ctx.next();
            } else {
                LOG.warn("admin API: authentication failed for user \"{}\" from {}", user, ctx.request().remoteAddress());
                challenge(ctx);
            }
        });
    }

    private Future<PcpAuthFile> load() {
        if (file.isEmpty()) {
            return Future.succeededFuture(PcpAuthFile.empty());
        }
        return vertx.fileSystem().readFile(file.get().toString())
                .map(buffer -> PcpAuthFile.parse(buffer.toString(StandardCharsets.UTF_8)))
                .onFailure(e -> LOG.warn("admin API: cannot read admin_auth_file {}: {}", file.get(), e.getMessage()));
    }

    /** {@code [user, password]} from a Basic header; empty when absent or malformed. */
    static Optional<String[]> credentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void challenge(RoutingContext ctx) {
        boolean console = "vxpool-console".equals(ctx.request().getHeader("X-Requested-With"));
        ctx.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", (console ? "Console" : "Basic") + " realm=\"" + REALM + "\", charset=\"UTF-8\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "authentication required").encode());
    }
}
