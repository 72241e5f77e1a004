package org.vxpool.watchdog;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A leadership the test decides: the election is another module's business. */
final class TestLeadership implements Leadership {
    private volatile boolean active;
    private volatile long epoch;
    private volatile Context context;
    private final List<Consumer<Leadership>> listeners = new CopyOnWriteArrayList<>();
    private volatile int votesRequired = 1;
    private volatile String memberName = "local node";

    TestLeadership(boolean active, long epoch) {
        this.active = active;
        this.epoch = epoch;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    /** As if this many members had to agree on a failover (e.g. 2 of 3 configured members). */
    TestLeadership requiringVotes(int n) {
        votesRequired = n;
        return this;
    }

    /** The watchdog member name this node votes under. */
    TestLeadership named(String name) {
        memberName = name;
        return this;
    }

    @Override
    public String memberName() {
        return memberName;
    }

    @Override
    public int failoverVotesRequired() {
        return votesRequired;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public void onChange(Consumer<Leadership> listener) {
        context = Vertx.currentContext();
        listeners.add(listener);
    }

    /** Changes the role on the owning verticle's context, as the contract says. */
    void set(boolean nowActive, long newEpoch) {
        context.runOnContext(v -> {
            active = nowActive;
            epoch = newEpoch;
            listeners.forEach(l -> l.accept(this));
        });
    }

    @Override
    public Future<Void> start() {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
        return Future.succeededFuture();
    }
}
