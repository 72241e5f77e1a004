package org.vxpool.common;

/**
 * Event-bus addresses and clustered-map names: the contract between the verticles. Messages are
 * JSON ({@code io.vertx.core.json.JsonObject}) unless a comment says otherwise.
 */
public final class Addresses {
    private Addresses() {
    }

    /** Clustered AsyncMap: backend id (Integer) to BackendNode JSON. Written only by the Active node. */
    public static final String BACKENDS_MAP = "vxpool.backends";

    /**
     * Clustered AsyncMap: key {@code "latest"} to {@code {"at": epoch millis, "lag": <REPLICATION_LAG body>}},
     * the Active node's newest lag measurement. Written only by the Active node; a Standby node
     * whose subscription the Active's publish did not reach takes the lag from here.
     */
    public static final String REPLICATION_LAG_MAP = "vxpool.replication.lag.latest";

    /** Publish: a whole {@code ClusterView.toJson()} after every change. */
    public static final String CLUSTER_VIEW = "vxpool.cluster.view";

    /**
     * Local request: ask this node's watchdog for the current view; reply is {@code ClusterView}
     * JSON. Lets a verticle that starts after the last publish catch up.
     */
    public static final String CLUSTER_VIEW_GET = "vxpool.cluster.view.get";

    /**
     * Send (local): a proxy saw a backend fail. Body {@code {"node": id, "reason": "...",
     * "sqlstate": "57P01"?}}. The health checker re-checks that node at once.
     */
    public static final String BACKEND_ERROR = "vxpool.backend.error";

    /** Request to the Active node: {@code {"node": id, "from": memberName}} failover vote. */
    public static final String FAILOVER_VOTE = "vxpool.active.failover";
    /** Request to the Active node: {@code {"node": id}}. Reply {@code {"ok": bool, "reason": ...}}. */
    public static final String ATTACH = "vxpool.active.attach";
    public static final String DETACH = "vxpool.active.detach";
    /** {@code {"node": id, "switchover": bool}}. */
    public static final String PROMOTE = "vxpool.active.promote";
    /**
     * Request to the Active node: online recovery of a down node, {@code {"node": id, "wait": bool?}}.
     * Reply {@code {"ok": true, "message": ..., "progress": {...}}} when it is done (or, with
     * {@code "wait": false}, as soon as it started); failure code 1 with the reason and failed stage.
     * See docs/RECOVERY.md.
     */
    public static final String RECOVER = "vxpool.active.recover";
    /** Publish (cluster-wide, from the Active node): a recovery's progress, the whole status object on every stage change. */
    public static final String RECOVERY_PROGRESS = "vxpool.recovery.progress";
    /** Local request: {@code {"running": bool, "recoveries": [latest status per node]}}. Body ignored. */
    public static final String RECOVERY_STATUS = "vxpool.recovery.status";

    /**
     * Local request: health-check statistics for {@code SHOW pool_health_check_stats}. Body
     * ignored. Reply {@code {"columns": [pgpool 4.3 column names], "rows": [[text, ...], ...]}}, one
     * row per backend, every value already formatted as pgpool prints it, and {@code "backend":
     * {"<id>": {"pg_status": "up|down", "pg_role": "primary|standby"}}}, what the last check saw.
     */
    public static final String HEALTH_STATS = "vxpool.health.stats";

    /**
     * Publish: the Active node's newest replication lag measurement (sr_check_period). Body
     * {@code {"<node id>": {"delayBytes": n, "delayMs": n, "state": "streaming", "syncState": "async"}}},
     * one entry per standby it could measure. Every node's watchdog republishes it locally.
     */
    public static final String REPLICATION_LAG = "vxpool.replication.lag";

    /** Publish: watchdog member info changed; body is the whole member list JSON. */
    public static final String WATCHDOG_INFO = "vxpool.watchdog.info";

    /**
     * Local request: this node's watchdog view, the content of pgpool's {@code pcp_watchdog_info -v}
     * (quorum state, alive count, VIP on this node, leader, members with state). Body ignored.
     * {@link #WATCHDOG_INFO} carries the same object, published local-only (each node its own view),
     * with the member list under {@code "members"}.
     */
    public static final String WATCHDOG_INFO_GET = "vxpool.watchdog.info.get";

    /**
     * Local publish: {@code POST /reload} accepted a new configuration. The body is the new
     * {@code PoolConfig} object itself (a local-only codec, {@code ConfigReload}); each verticle
     * applies the reloadable parameters it reads at run time. See docs/ADMIN.md.
     */
    public static final String CONFIG_RELOAD = "vxpool.config.reload";

    /**
     * Request to the Active node: {@code {"weights": [w0, w1, ...]}}, the backend weights of a
     * reloaded configuration. The Active node puts them in the view (new epoch, published).
     */
    public static final String SET_WEIGHTS = "vxpool.active.weights";

    /**
     * Prefix: {@code vxpool.proxy.clients.<cluster node id>} ({@code .local} without a cluster)
     * reaches that node's proxies; reply {@code {"clients": n}}, the client connections open there.
     * The Active node's graceful detach asks every member ({@link org.vxpool.common.ClientCounts})
     * with {@code {"drain": true}} while it waits and {@code {"drain": false}} when it is over.
     */
    public static final String PROXY_CLIENTS_PREFIX = "vxpool.proxy.clients.";

    /** Local request: live proxy statistics (sessions, pools) for admin and SHOW commands. */
    public static final String PROXY_STATS = "vxpool.proxy.stats";

    /**
     * Prefix: {@code vxpool.cancel.<cluster node id>} receives, on that node's proxies, the
     * CancelRequests another node got for a key this node issued; body {@code {"pid", "secret"}}.
     * The owner is known from the pid itself (its top bits are the node's tag), so no clustered
     * map of keys exists.
     */
    public static final String CANCEL_PREFIX = "vxpool.cancel.";
}
