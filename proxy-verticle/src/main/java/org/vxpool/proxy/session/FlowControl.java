package org.vxpool.proxy.session;

import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Back-pressure between one client and every backend its session holds (the primary and, when
 * balancing, a read node). The client socket is read only while no backend's write queue is full
 * and the session is not holding the client (a unit waiting for another backend, authentication);
 * a backend socket is read only while the client's write queue has room. Each reason is tracked
 * separately, so one backend draining never resumes a client another backend still holds back,
 * and the client's single drain handler resumes every backend it paused.
 */
final class FlowControl {
    private final NetSocket client;
    /** Backends whose write queue is full: the client is not read until each drains. */
    private final Set<NetSocket> fullBackends = new HashSet<>(2);
    /** Backends not read because the client's write queue is full. */
    private final List<NetSocket> pausedBackends = new ArrayList<>(2);
    /** Copies of the two sets for other threads (tests); written only when a set changes. */
    private volatile List<NetSocket> pausedView = List.of();
    private volatile List<NetSocket> fullView = List.of();
    private boolean held;
    /** Mirrors the client socket's state, so the hot path calls pause/resume only on a change. */
    private boolean clientPaused;
    private boolean closed;

    FlowControl(NetSocket client) {
        this.client = client;
    }

    /** The session waits (another backend's answers, authentication): stop reading the client. */
    void hold() {
        held = true;
        applyClient();
    }

    /** The session may read the client again, unless a backend is still full. */
    void unhold() {
        held = false;
        applyClient();
    }

    /** After writing a chunk from {@code backend} to the client. */
    void afterBackendChunk(NetSocket backend) {
        if (closed || !client.writeQueueFull() || pausedBackends.contains(backend)) {
            return;
        }
        backend.pause();
        pausedBackends.add(backend);
        pausedView = List.copyOf(pausedBackends);
        if (pausedBackends.size() == 1) {
            client.drainHandler(v -> resumeBackends());
        }
    }

    private void resumeBackends() {
        client.drainHandler(null);
        List<NetSocket> paused = List.copyOf(pausedBackends);
        pausedBackends.clear();
        pausedView = List.of();
        if (!closed) {
            paused.forEach(NetSocket::resume);
        }
    }

    /** After writing a client chunk to any of {@code backends}. */
    void afterClientChunk(Iterable<NetSocket> backends) {
        if (closed) {
            return;
        }
        for (NetSocket b : backends) {
            watchFull(b);
        }
        applyClient();
    }

    /** After writing a client chunk to {@code backend}, the only one (transaction pooling). */
    void afterClientChunk(NetSocket backend) {
        if (closed) {
            return;
        }
        watchFull(backend);
        applyClient();
    }

    private void watchFull(NetSocket b) {
        if (b.writeQueueFull() && fullBackends.add(b)) {
            fullView = List.copyOf(fullBackends);
            b.drainHandler(v -> {
                b.drainHandler(null);
                fullBackends.remove(b);
                fullView = List.copyOf(fullBackends);
                applyClient();
            });
        }
    }

    /** The session no longer holds {@code backend} (a dropped read node): it cannot hold the client back. */
    void forget(NetSocket backend) {
        // transaction pooling forgets its connection at every transaction's end: copy only on a change
        if (pausedBackends.remove(backend)) {
            pausedView = List.copyOf(pausedBackends);
        }
        if (fullBackends.remove(backend)) {
            fullView = List.copyOf(fullBackends);
            backend.drainHandler(null);
            applyClient();
        }
    }

    /** The session ended: nothing is resumed any more (the pool resumes connections it keeps). */
    void close() {
        closed = true;
    }

    /** Whether {@code backend} is not being read because the client cannot take more (any thread; tests). */
    boolean backendPaused(NetSocket backend) {
        return pausedView.contains(backend);
    }

    /** Whether the client is not being read because {@code backend} cannot take more (any thread; tests). */
    boolean clientPausedBy(NetSocket backend) {
        return fullView.contains(backend);
    }

    private void applyClient() {
        if (closed) {
            return;
        }
        boolean pause = held || !fullBackends.isEmpty();
        if (pause != clientPaused) {
            clientPaused = pause;
            if (pause) {
                client.pause();
            } else {
                client.resume();
            }
        }
    }
}
