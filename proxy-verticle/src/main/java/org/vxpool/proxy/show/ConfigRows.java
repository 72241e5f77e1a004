package org.vxpool.proxy.show;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.vxpool.common.config.IndexedParam;
import org.vxpool.common.config.Param;
import org.vxpool.common.config.ParamBase;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.proxy.session.SessionOverrides;

/**
 * Parameter values as {@code PGPOOL SHOW} and {@code SHOW pool_status} print them: pgpool.conf's
 * spelling (on/off, lists joined by their separator, numbers in the parameter's unit), the
 * session's PGPOOL SET value where it has one, and secrets masked.
 */
final class ConfigRows {
    static final String MASK = "********";

    /** pgpool's parameter groups: indexed parameters shown together, index by index. */
    static final Map<String, List<IndexedParam<?>>> GROUPS = Map.of(
            "backend", List.of(Params.BACKEND_HOSTNAME, Params.BACKEND_PORT, Params.BACKEND_WEIGHT,
                    Params.BACKEND_DATA_DIRECTORY, Params.BACKEND_FLAG, Params.BACKEND_APPLICATION_NAME),
            "watchdog", List.of(Params.HOSTNAME, Params.WD_PORT_N, Params.PGPOOL_PORT),
            "heartbeat", List.of(Params.HEARTBEAT_HOSTNAME, Params.HEARTBEAT_PORT, Params.HEARTBEAT_DEVICE),
            "health_check", List.of(Params.HEALTH_CHECK_PERIOD_N, Params.HEALTH_CHECK_TIMEOUT_N, Params.HEALTH_CHECK_USER_N,
                    Params.HEALTH_CHECK_PASSWORD_N, Params.HEALTH_CHECK_DATABASE_N, Params.HEALTH_CHECK_MAX_RETRIES_N,
                    Params.HEALTH_CHECK_RETRY_DELAY_N, Params.CONNECT_TIMEOUT_N));
    /** The order of the groups in PGPOOL SHOW ALL, as pgpool lists them: before the other parameters. */
    static final List<String> GROUP_ORDER = List.of("backend", "watchdog", "heartbeat", "health_check");
    /** 3.x members' keys, shown index by index after the groups. */
    private static final List<IndexedParam<?>> OTHER_PGPOOL = List.of(Params.OTHER_PGPOOL_HOSTNAME,
            Params.OTHER_PGPOOL_PORT, Params.OTHER_WD_PORT);

    private final PoolConfig config;
    private final SessionOverrides overrides;
    private final ClusterView view;

    /** @param overrides null for no session values; @param view null when none arrived yet */
    ConfigRows(PoolConfig config, SessionOverrides overrides, ClusterView view) {
        this.config = config;
        this.overrides = overrides;
        this.view = view;
    }

    /** A global parameter's value. */
    String value(Param<?> p) {
        Object v = overrides == null ? null : overrides.get(p).orElse(null);
        return shown(p, v != null ? v : config.get(p));
    }

    /**
     * {@code nameN}'s value. A backend's host, port and weight are the cluster view's, the values
     * the proxy routes with (the same as pgpool.conf's; a proxy built from settings alone has only
     * the view).
     */
    String value(IndexedParam<?> p, int index) {
        BackendNode n = view == null ? null : view.nodes().stream().filter(b -> b.id() == index).findFirst().orElse(null);
        if (n != null) {
            if (p == Params.BACKEND_HOSTNAME) {
                return n.host();
            } else if (p == Params.BACKEND_PORT) {
                return Integer.toString(n.port());
            } else if (p == Params.BACKEND_WEIGHT) {
                return p.format(n.weight());
            }
        }
        return shown(p, config.get(p, index));
    }

    private static String shown(ParamBase<?> p, Object value) {
        String text = p.format(value);
        if (p.secret()) {
            return text.isEmpty() ? "" : MASK;
        }
        return text;
    }

    /** The indices an indexed parameter has: its family's lead key's, or the backends'. */
    SortedSet<Integer> indices(IndexedParam<?> p) {
        if (GROUPS.get("backend").contains(p) || GROUPS.get("health_check").contains(p)) {
            return backendIds();
        }
        if (GROUPS.get("watchdog").contains(p)) {
            return config.indices(Params.HOSTNAME);
        }
        if (GROUPS.get("heartbeat").contains(p)) {
            return config.indices(Params.HEARTBEAT_HOSTNAME);
        }
        if (OTHER_PGPOOL.contains(p)) {
            return config.indices(Params.OTHER_PGPOOL_HOSTNAME);
        }
        return config.indices(p);
    }

    /** The view's nodes: the configured backends, once a view arrived. */
    SortedSet<Integer> backendIds() {
        SortedSet<Integer> ids = new TreeSet<>();
        if (view != null) {
            view.nodes().forEach(n -> ids.add(n.id()));
        } else {
            config.backends().forEach(b -> ids.add(b.id()));
        }
        return ids;
    }

    /** item | value | description for one index of {@code p}. */
    List<String> row(IndexedParam<?> p, int index) {
        return List.of(p.key(index), value(p, index), p.description());
    }

    List<String> row(Param<?> p) {
        return List.of(p.name(), value(p), p.description());
    }

    /** Every index of every member, index by index (backend_hostname0, backend_port0, ..., backend_hostname1, ...). */
    List<List<String>> group(List<IndexedParam<?>> members) {
        List<List<String>> rows = new ArrayList<>();
        for (int i : indices(members.get(0))) {
            for (IndexedParam<?> p : members) {
                rows.add(row(p, i));
            }
        }
        return rows;
    }

    /** One indexed parameter at every index it has. */
    List<List<String>> indexed(IndexedParam<?> p) {
        List<List<String>> rows = new ArrayList<>();
        for (int i : indices(p)) {
            rows.add(row(p, i));
        }
        return rows;
    }

    /** PGPOOL SHOW ALL: the groups, the 3.x members, then every global parameter in registry order. */
    List<List<String>> all() {
        List<List<String>> rows = new ArrayList<>();
        for (String g : GROUP_ORDER) {
            rows.addAll(group(GROUPS.get(g)));
        }
        rows.addAll(group(OTHER_PGPOOL));
        for (Param<?> p : Params.all()) {
            rows.add(row(p));
        }
        return rows;
    }

    /** A group by name, case-insensitive. */
    static Optional<List<IndexedParam<?>>> group(String name) {
        return Optional.ofNullable(GROUPS.get(name.toLowerCase(Locale.ROOT)));
    }
}
