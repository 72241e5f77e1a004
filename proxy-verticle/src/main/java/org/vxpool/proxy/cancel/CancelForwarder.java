package org.vxpool.proxy.cancel;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.pool.BackendAddress;
import org.vxpool.proxy.protocol.CancelRequest;

/**
 * Acts on a client's CancelRequest: real CancelRequests to the session's backends, each on a new
 * connection as the protocol wants, or the request handed to the node that issued the key.
 * Unknown keys and wrong secrets are ignored silently, as PostgreSQL does.
 */
public final class CancelForwarder {
    private static final Logger log = LoggerFactory.getLogger(CancelForwarder.class);
    private final NetClient client;
    private final CancelRegistry registry;
    /** Null outside a cluster. */
    private final PeerCancel peers;

    public CancelForwarder(NetClient client, CancelRegistry registry, PeerCancel peers) {
        this.client = client;
        this.registry = registry;
        this.peers = peers;
    }

    /** A CancelRequest from a client of this node. */
    public void cancel(int pid, int secret) {
        Optional<CancelTarget> target = registry.lookup(pid, secret);
        if (target.isPresent()) {
            cancel(target.get().cancelKeys());
        } else if (peers != null) {
            int sent = peers.forward(pid, secret);
            log.debug("cancel request for unknown pid {} forwarded to {} other node(s)", pid, sent);
        }
    }

    /**
     * A CancelRequest another node forwarded ({@link PeerCancel#forward}): acted on only if this
     * node issued the key, and never forwarded again, so requests cannot circulate.
     */
    public void cancelForwarded(JsonObject body) {
        if (body == null) {
            return;
        }
        Integer pid;
        Integer secret;
        try {
            pid = body.getInteger("pid");
            secret = body.getInteger("secret");
        } catch (ClassCastException e) {
            log.debug("ignoring malformed forwarded cancel request {}", body);
            return;
        }
        if (pid != null && secret != null) {
            registry.lookup(pid, secret).ifPresent(t -> cancel(t.cancelKeys()));
        }
    }

    public Future<Void> cancel(List<BackendCancelKey> keys) {
        List<Future<Void>> sent = new ArrayList<>();
        for (BackendCancelKey k : keys) {
            sent.add(client.connect(BackendAddress.of(k.host(), k.port()))
                    .compose(s -> s.write(new CancelRequest(k.processId(), k.secretKey()).encode()).compose(v -> s.end()))
                    .onFailure(e -> log.debug("cancel to {}:{} failed: {}", k.host(), k.port(), e.toString())));
        }
        return Future.join(sent).mapEmpty();
    }
}
