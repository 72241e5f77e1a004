package org.vxpool.proxy.cancel;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.protocol.CancelRequest;

/** Sends real CancelRequests to backends, each on a new connection as the protocol wants. */
public final class CancelForwarder {
    private static final Logger log = LoggerFactory.getLogger(CancelForwarder.class);
    private final NetClient client;

    public CancelForwarder(NetClient client) {
        this.client = client;
    }

    public Future<Void> cancel(List<BackendCancelKey> keys) {
        List<Future<Void>> sent = new ArrayList<>();
        for (BackendCancelKey k : keys) {
            sent.add(client.connect(k.port(), k.host())
                    .compose(s -> s.write(new CancelRequest(k.processId(), k.secretKey()).encode()).compose(v -> s.end()))
                    .onFailure(e -> log.debug("cancel to {}:{} failed: {}", k.host(), k.port(), e.toString())));
        }
        return Future.join(sent).mapEmpty();
    }
}
