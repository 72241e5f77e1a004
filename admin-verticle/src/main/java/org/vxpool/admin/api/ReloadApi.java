package org.vxpool.admin.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.admin.ReloadCheck;
import org.vxpool.common.config.ConfigException;
import org.vxpool.common.config.ConfigLoader;
import org.vxpool.common.config.ConfigProblem;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.PoolConfig;

/**
 * {@code POST /api/v1/reload}: re-reads the configuration file. A file with problems is refused
 * (400, every {@code file:line: key: problem}), and so is one whose pool_passwd or pool_hba.conf
 * would not load (400, {@link ReloadCheck}); a file that changes parameters needing a restart
 * is refused (409) with their names. Otherwise the new snapshot replaces the admin API's, is
 * handed to this node's proxy and watchdog ({@link ConfigReload}), and the answer lists what
 * changed (what each verticle applies: ADMIN.md).
 */
public final class ReloadApi {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadApi.class);

    private final Vertx vertx;
    private final ReloadCheck check;
    private volatile PoolConfig current;

    public ReloadApi(Vertx vertx, PoolConfig current) {
        this(vertx, current, ReloadCheck.NONE);
    }

    public ReloadApi(Vertx vertx, PoolConfig current, ReloadCheck check) {
        this.vertx = vertx;
        this.current = current;
        this.check = check;
    }

    /** A configuration that loaded, but whose auth files have problems. */
    private static final class AuthFilesRefused extends Exception {
        final List<String> problems;

        AuthFilesRefused(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = problems;
        }
    }

    public void actionRoutes(Router api) {
        api.post("/reload").handler(this::reload);
    }

    private void reload(RoutingContext ctx) {
        PoolConfig running = current;
        if (running == null) {
            Replies.error(ctx, 501, "this node has no configuration file to reload");
            return;
        }
        vertx.executeBlocking(() -> checked(ConfigLoader.load(running.file(), running.nodeId()))).onComplete(loaded -> {
            if (loaded.failed()) {
                refused(ctx, running, loaded.cause());
                return;
            }
            PoolConfig newer = loaded.result();
            List<String> restart = running.changesRequiringRestart(newer);
            if (!restart.isEmpty()) {
                LOG.warn("reload refused: these parameters need a restart: {}", String.join(", ", restart));
                Replies.json(ctx, 409, new JsonObject()
                        .put("error", "these parameters need a restart: " + String.join(", ", restart))
                        .put("restart_required", new JsonArray(restart)));
                return;
            }
            List<String> changed = changedKeys(running, newer);
            current = newer;
            // also when the file itself did not change: pool_passwd and pool_hba.conf are re-read
            // by every reload, as pgpool's reload re-reads them
            ConfigReload.publish(vertx, newer);
            LOG.info("configuration reloaded from {}; changed: {}", running.file(), changed.isEmpty() ? "nothing" : changed);
            Replies.json(ctx, 200, new JsonObject().put("reloaded", true).put("file", running.file().toString())
                    .put("changed", new JsonArray(changed))
                    .put("note", "applied to new client sessions, health checks and backend weights (docs/ADMIN.md)"));
        });
    }

    private PoolConfig checked(PoolConfig newer) throws AuthFilesRefused {
        List<String> problems = check.problems(newer);
        if (!problems.isEmpty()) {
            throw new AuthFilesRefused(problems);
        }
        return newer;
    }

    private static void refused(RoutingContext ctx, PoolConfig running, Throwable cause) {
        if (cause instanceof AuthFilesRefused af) {
            LOG.warn("reload refused, nothing applied: {}", String.join("; ", af.problems));
            Replies.json(ctx, 400, new JsonObject()
                    .put("error", af.problems.size() + " problem(s) in pool_passwd / pool_hba.conf; nothing reloaded")
                    .put("problems", new JsonArray(af.problems)));
        } else if (cause instanceof ConfigException ce) {
            List<String> problems = ce.problems().stream().map(ConfigProblem::toString).toList();
            Replies.json(ctx, 400, new JsonObject()
                    .put("error", problems.size() + " problem(s) in " + running.file() + "; nothing reloaded")
                    .put("problems", new JsonArray(problems)));
        } else {
            Replies.error(ctx, 500, "could not read " + running.file() + ": " + cause.getMessage());
        }
    }

    /** Keys set differently in the two files, canonical names, sorted. */
    static List<String> changedKeys(PoolConfig older, PoolConfig newer) {
        Map<String, String> a = older.raw();
        Map<String, String> b = newer.raw();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> changed = new ArrayList<>();
        keys.stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).forEach(changed::add);
        return changed;
    }
}
