package org.vxpool.watchdog.failover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.watchdog.health.HealthSettings;
import org.vxpool.watchdog.health.PgProbe;

/**
 * Finds the primary among live backends with {@code pg_is_in_recovery()}, as pgpool does at start
 * and after failover. {@code ALWAYS_PRIMARY} wins without asking. When several nodes claim to be
 * primary, the real one is the one the standbys stream from ({@code pg_stat_wal_receiver} on the
 * standbys, else the most streaming standbys in the candidate's {@code pg_stat_replication}); the
 * others are false primaries.
 */
public final class PrimarySearch {
    private static final Logger LOG = LoggerFactory.getLogger(PrimarySearch.class);
    private static final long ROUND_INTERVAL_MS = 250;

    /**
     * What one search found.
     *
     * @param primary the primary, if any
     * @param inRecovery for every node that answered: true for a standby
     * @param falsePrimaries nodes that are not in recovery but are not the primary either
     */
    public record Result(OptionalInt primary, Map<Integer, Boolean> inRecovery, List<Integer> falsePrimaries) {
        static Result none(Map<Integer, Boolean> answered) {
            return new Result(OptionalInt.empty(), answered, List.of());
        }
    }

    private final Vertx vertx;
    private final List<BackendConfig> backends;
    private final List<HealthSettings> health;

    public PrimarySearch(Vertx vertx, List<BackendConfig> backends, List<HealthSettings> health) {
        this.vertx = vertx;
        this.backends = backends;
        this.health = health;
    }

    public PgProbe.Target target(int id) {
        BackendConfig b = backends.get(id);
        return PgProbe.Target.of(b.host(), b.port(), health.get(id));
    }

    public Duration timeout(int id) {
        return health.get(id).attemptTimeout();
    }

    /** Searches among {@code candidates} until a primary shows up or {@code searchTimeout} passes. */
    public Future<Result> find(Collection<Integer> candidates, Duration searchTimeout) {
        long deadline = System.currentTimeMillis() + searchTimeout.toMillis();
        Promise<Result> promise = Promise.promise();
        round(List.copyOf(candidates), deadline, promise);
        return promise.future();
    }

    /** One round only: the answer as it stands now. */
    public Future<Result> findOnce(Collection<Integer> candidates) {
        return find(candidates, Duration.ZERO);
    }

    private void round(List<Integer> candidates, long deadline, Promise<Result> promise) {
        once(candidates).onComplete(ar -> {
            Result r = ar.succeeded() ? ar.result() : Result.none(Map.of());
            if (r.primary().isPresent() || candidates.isEmpty() || System.currentTimeMillis() >= deadline) {
                promise.complete(r);
            } else {
                vertx.setTimer(ROUND_INTERVAL_MS, id -> round(candidates, deadline, promise));
            }
        });
    }

    private Future<Result> once(List<Integer> candidates) {
        for (int id : candidates) {
            if (backends.get(id).alwaysPrimary()) {
                Map<Integer, Boolean> roles = new TreeMap<>();
                candidates.forEach(c -> roles.put(c, c != id));
                return Future.succeededFuture(new Result(OptionalInt.of(id), roles, List.of()));
            }
        }
        Map<Integer, Boolean> answered = new TreeMap<>();
        List<Future<?>> probes = new ArrayList<>();
        for (int id : candidates) {
            probes.add(PgProbe.query(vertx, target(id), timeout(id), "SELECT pg_is_in_recovery()")
                    .onSuccess(rows -> answered.put(id, rows.get(0).getBoolean(0))));
        }
        return Future.join(probes).transform(ignored -> decide(answered));
    }

    private Future<Result> decide(Map<Integer, Boolean> answered) {
        List<Integer> primaries = answered.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        if (primaries.isEmpty()) {
            return Future.succeededFuture(Result.none(answered));
        }
        if (primaries.size() == 1) {
            return Future.succeededFuture(new Result(OptionalInt.of(primaries.get(0)), answered, List.of()));
        }
        List<Integer> standbys = answered.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        return realPrimary(primaries, standbys).map(real -> {
            List<Integer> impostors = primaries.stream().filter(p -> p != real).toList();
            LOG.error("nodes {} all claim to be primary (pg_is_in_recovery() = false); node {} is the one the "
                    + "standbys stream from, so nodes {} are false primaries and get no traffic", primaries, real, impostors);
            return new Result(OptionalInt.of(real), answered, impostors);
        });
    }

    private Future<Integer> realPrimary(List<Integer> primaries, List<Integer> standbys) {
        Map<Integer, Integer> votes = new TreeMap<>();
        primaries.forEach(p -> votes.put(p, 0));
        List<Future<?>> asks = new ArrayList<>();
        for (int s : standbys) {
            asks.add(PgProbe.query(vertx, target(s), timeout(s),
                            "SELECT sender_host, sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'")
                    .onSuccess(rows -> rows.forEach(row -> vote(row, primaries, votes))));
        }
        return Future.join(asks).transform(ignored -> {
            if (votes.values().stream().anyMatch(v -> v > 0)) {
                return Future.succeededFuture(best(votes));
            }
            return byReplicationCount(primaries);
        });
    }

    private void vote(Row row, List<Integer> primaries, Map<Integer, Integer> votes) {
        String host = row.getString(0);
        Integer port = row.getInteger(1);
        for (int p : primaries) {
            BackendConfig b = backends.get(p);
            if (port != null && port == b.port() && sameHost(host, b.host())) {
                votes.merge(p, 1, Integer::sum);
            }
        }
    }

    private Future<Integer> byReplicationCount(List<Integer> primaries) {
        Map<Integer, Integer> counts = new TreeMap<>();
        primaries.forEach(p -> counts.put(p, 0));
        List<Future<?>> asks = new ArrayList<>();
        for (int p : primaries) {
            asks.add(PgProbe.query(vertx, target(p), timeout(p),
                            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
                    .onSuccess(rows -> counts.put(p, rows.get(0).getLong(0).intValue())));
        }
        return Future.join(asks).transform(ignored -> Future.succeededFuture(best(counts)));
    }

    /** Most votes wins; a tie goes to the lowest id, which is deterministic across vxpool nodes. */
    private static int best(Map<Integer, Integer> scores) {
        return scores.entrySet().stream()
                .max(Comparator.<Map.Entry<Integer, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey();
    }

    /**
     * The standby reports the host it dialled, which may be a name, an address or a socket
     * directory; on one machine these all mean the same server, so only the port tells them apart.
     */
    static boolean sameHost(String reported, String configured) {
        if (reported == null || reported.equalsIgnoreCase(configured)) {
            return true;
        }
        return isLocal(reported) && isLocal(configured);
    }

    private static boolean isLocal(String host) {
        return host.startsWith("/") || host.startsWith("127.") || host.equals("localhost") || host.equals("::1");
    }
}
