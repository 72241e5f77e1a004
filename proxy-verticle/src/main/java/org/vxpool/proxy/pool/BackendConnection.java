package org.vxpool.proxy.pool;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.vxpool.common.model.BackendNode;
import org.vxpool.proxy.protocol.BackendKeyData;
import org.vxpool.proxy.protocol.FrameDecoder;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SocketReads;
import org.vxpool.proxy.protocol.SqlState;

/**
 * One TCP connection to a backend. Its {@link State} changes only through
 * {@link BackendPool#move}, which keeps the pool's counts right. Frames from the backend go to the
 * current {@link FrameListener}: the pool's own exchanges while connecting, resetting or idle, the
 * owning session's relay while active. Confined to the event loop that opened it.
 */
public final class BackendConnection implements FrameListener, SocketReads.Sink {

    /** Where a connection is in its life; each state is counted per pool key. */
    public enum State { CONNECTING, AUTHENTICATING, IDLE_IN_POOL, ACTIVE, RESETTING, CLOSED }

    private final long id;
    private final PoolKey key;
    private final BackendNode node;
    private final NetSocket socket;
    private final FrameDecoder decoder;
    private final SessionParams startupParams;
    private final Map<String, String> parameterStatus = new LinkedHashMap<>();
    private final long createdNanos = System.nanoTime();

    State state = State.CONNECTING;
    boolean poolable;
    long idleSinceNanos;
    /** The pool's bookkeeping of this connection's key, looked up once ({@link BackendPool#move}). */
    BackendPool.KeyPool keyPool;
    /** Idle after reset_query_list (session mode), not parked as it is by transaction pooling. */
    boolean reset;
    BackendKeyData keyData;
    /** Closed on purpose by vxpool, so the peer's close is not a failure. */
    boolean closing;
    /** The last ErrorResponse seen while idle, reported if the backend then hangs up. */
    org.vxpool.proxy.protocol.ErrorResponse lastError;

    private byte txStatus = PgProtocol.TxStatus.IDLE;
    /** ReadyForQuery messages still owed: one per Query, Sync and FunctionCall sent. */
    private int pendingReady;
    /** System.nanoTime of the last ReadyForQuery, or of the request that ended a quiet spell. */
    private long progressNanos;
    /** Extended-protocol messages were sent after the last Sync. */
    private boolean unsynced;
    /** Syncs sent since the last Execute or Query: ignored if that statement turns out a COPY IN. */
    private int syncsSinceExecute;
    /** Between CopyInResponse and the client's CopyDone / CopyFail. */
    private boolean copyIn;
    private FrameListener listener;
    /** The pool's listener while this connection is idle, made once. */
    FrameListener idleListener;
    private Consumer<String> closeListener;
    /** Transaction pooling: statements prepared here under vxpool's names; null until used. */
    private ServerStatements statements;
    /** Transaction pooling: tracked settings vxpool applied here (name → statement), see TrackedSettings. */
    private Map<String, String> appliedSettings;
    /** Bumped when a reported parameter changes value. */
    private int parameterVersion;
    /** Transaction pooling: the client settings this connection's reported values last matched, at {@link #matchedVersion}. */
    private Object matchedSettings;
    private int matchedVersion;

    BackendConnection(long id, PoolKey key, BackendNode node, NetSocket socket, SessionParams startupParams) {
        this.id = id;
        this.key = key;
        this.node = node;
        this.socket = socket;
        this.startupParams = startupParams;
        this.decoder = new FrameDecoder(this, Integer.MAX_VALUE, false);
    }

    public long id() {
        return id;
    }

    public PoolKey key() {
        return key;
    }

    public BackendNode node() {
        return node;
    }

    public NetSocket socket() {
        return socket;
    }

    public State state() {
        return state;
    }

    public SessionParams startupParams() {
        return startupParams;
    }

    /** The reported parameters (ParameterStatus) as the backend last sent them. */
    public Map<String, String> parameterStatus() {
        return Collections.unmodifiableMap(parameterStatus);
    }

    /** One reported parameter, or null: without the read-only view {@link #parameterStatus()} makes per call. */
    public String parameter(String name) {
        return parameterStatus.get(name);
    }

    public BackendKeyData keyData() {
        return keyData;
    }

    public byte txStatus() {
        return txStatus;
    }

    /** Transaction pooling: the statements vxpool prepared on this connection. */
    public ServerStatements statements() {
        if (statements == null) {
            statements = new ServerStatements(ServerStatements.DEFAULT_CAPACITY);
        }
        return statements;
    }

    /** Transaction pooling: unreported settings applied here, by name; absent means the server default. */
    public Map<String, String> appliedSettings() {
        if (appliedSettings == null) {
            appliedSettings = new java.util.HashMap<>();
        }
        return appliedSettings;
    }

    /** Whether this connection may serve another client (the backend trusted the login, or vxpool vouched for it). */
    public boolean poolable() {
        return poolable;
    }

    public long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    /** The relay forwards frames as retained slices and keeps none: it may read Netty's buffer itself. */
    @Override
    public boolean canBorrow() {
        return listener != null && !listener.keepsFrames();
    }

    @Override
    public void chunk(Buffer chunk, boolean borrowed) {
        if (state == State.CLOSED) {
            // reads Vert.x held back while the socket was paused, handed over by SocketReads.drain
            return;
        }
        try {
            decoder.feed(chunk);
        } catch (PgProtocolException e) {
            listener.onProtocolError(e);
        } catch (RuntimeException e) {
            listener.onProtocolError(new PgProtocolException(SqlState.INTERNAL_ERROR,
                    "failure handling a message from backend node " + node.id() + ": " + e));
        } finally {
            if (borrowed) {
                decoder.unborrow(chunk);
            }
        }
    }

    /** Routes backend frames to {@code l}, and a close of the socket to {@code onClose}. */
    public void listen(FrameListener l, Consumer<String> onClose) {
        this.listener = l;
        this.closeListener = onClose;
    }

    /** Where backend frames go now. */
    public FrameListener listener() {
        return listener;
    }

    void peerClosed(String reason) {
        if (closeListener != null) {
            closeListener.accept(reason);
        }
    }

    /** Writes bytes to the backend, unchanged. */
    public void send(Buffer message) {
        socket.write(message);
    }

    /** Account for a frontend message of {@code type} about to be sent. */
    public void sent(byte type) {
        switch (type) {
            case PgProtocol.Frontend.QUERY, PgProtocol.Frontend.FUNCTION_CALL -> {
                if (pendingReady == 0) {
                    progressNanos = System.nanoTime();
                }
                pendingReady++;
                syncsSinceExecute = 0;
            }
            case PgProtocol.Frontend.SYNC -> {
                // the backend ignores Sync during COPY IN, so it earns no ReadyForQuery
                if (!copyIn) {
                    if (pendingReady == 0) {
                        progressNanos = System.nanoTime();
                    }
                    pendingReady++;
                    syncsSinceExecute++;
                }
                unsynced = false;
            }
            case PgProtocol.Frontend.EXECUTE -> {
                unsynced = true;
                syncsSinceExecute = 0;
            }
            case PgProtocol.Frontend.PARSE, PgProtocol.Frontend.BIND, PgProtocol.Frontend.DESCRIBE,
                    PgProtocol.Frontend.CLOSE -> unsynced = true;
            case PgProtocol.Frontend.COPY_DONE, PgProtocol.Frontend.COPY_FAIL -> {
                if (copyIn && pendingReady == 0) {
                    // an extended-protocol COPY: its ReadyForQuery comes after the next Sync
                    unsynced = true;
                }
                copyIn = false;
            }
            default -> {
            }
        }
    }

    /**
     * Account for a CopyInResponse (B). A Sync sent right behind the Execute that started the
     * COPY (libpq sends P/B/D/E/S together) reached a backend in copy-in mode and was ignored.
     */
    public void copyInStarted() {
        pendingReady = Math.max(0, pendingReady - syncsSinceExecute);
        syncsSinceExecute = 0;
        copyIn = true;
    }

    /** Account for a ReadyForQuery (B) received. */
    public void readyReceived(byte status) {
        txStatus = status;
        progressNanos = System.nanoTime();
        if (pendingReady > 0) {
            pendingReady--;
        }
    }

    /** No request is outstanding: the connection may be reset and reused. */
    public boolean isQuiet() {
        return pendingReady == 0 && !unsynced && !copyIn;
    }

    /**
     * How long ago this connection last showed progress: its last ReadyForQuery, or the request
     * sent to it when nothing was outstanding. With requests outstanding, how long the statement
     * the backend runs now has been running, at least.
     */
    public long sinceProgressNanos(long now) {
        return now - progressNanos;
    }

    public int pendingReady() {
        return pendingReady;
    }

    /** Remembers an ErrorResponse seen on the relay path; a FATAL one explains a following close. */
    public void noteError(org.vxpool.proxy.protocol.ErrorResponse error) {
        lastError = error;
    }

    /** The FATAL (or PANIC) this backend sent before it closed, or null: the backend's own reason for ending. */
    public org.vxpool.proxy.protocol.ErrorResponse fatal() {
        return lastError != null && lastError.isFatal() ? lastError : null;
    }

    public void parameterStatus(String name, String value) {
        if (!value.equals(parameterStatus.put(name, value))) {
            parameterVersion++;
        }
    }

    /**
     * Transaction pooling: whether the reported values still match the client settings identified
     * by {@code fingerprint} (see {@link #matched}); nothing was reported differently since.
     */
    public boolean matches(Object fingerprint) {
        return fingerprint != null && matchedSettings == fingerprint && matchedVersion == parameterVersion;
    }

    /** Transaction pooling: the reported values were just found equal to those of {@code fingerprint}. */
    public void matched(Object fingerprint) {
        matchedSettings = fingerprint;
        matchedVersion = parameterVersion;
    }

    @Override
    public void onFrame(byte type, Buffer source, int start, int length) {
        listener.onFrame(type, source, start, length);
    }

    @Override
    public void onChunkEnd() {
        listener.onChunkEnd();
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        listener.onProtocolError(e);
    }

    @Override
    public String toString() {
        return "backend#" + id + "[node " + node.id() + " " + node.host() + ":" + node.port() + " " + key.user()
                + "@" + key.database() + " " + state + "]";
    }
}
