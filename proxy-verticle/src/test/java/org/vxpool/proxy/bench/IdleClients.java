package org.vxpool.proxy.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.vxpool.proxy.protocol.FrameDecoder;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;

/**
 * Opens many idle PostgreSQL client connections from one JVM, for the idle-clients benchmark
 * (bench/pgbench-compare.sh): each connection sends a StartupMessage (trust login), waits for
 * ReadyForQuery and then stays open without sending anything.
 * {@code IdleClients <host> <port> <count> [user] [database]}; system properties
 * {@code sources} (comma-separated local addresses, e.g. 127.0.0.2,127.0.0.3, used in turn so
 * that ephemeral ports do not run out) and {@code concurrency} (start-ups in flight, default 200).
 * Prints {@code READY <ok> <failed>} when every attempt has ended, then holds the connections
 * until stdin closes.
 */
public final class IdleClients {
    private IdleClients() {
    }

    public static void main(String[] args) throws IOException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String user = args.length > 3 ? args[3] : "postgres";
        String database = args.length > 4 ? args[4] : "postgres";
        int concurrency = Integer.getInteger("concurrency", 200);
        Vertx vertx = Vertx.vertx();
        List<NetClient> clients = new ArrayList<>();
        for (String source : System.getProperty("sources", "").split(",")) {
            NetClientOptions o = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(30_000);
            clients.add(vertx.createNetClient(source.isBlank() ? o : o.setLocalAddress(source.strip())));
        }
        Buffer startup = MessageBuilder.untyped().int32(PgProtocol.PROTOCOL_3_0)
                .cstring("user").cstring(user).cstring("database").cstring(database)
                .cstring("application_name").cstring("idle-clients").int8(0).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        Promise<Void> done = Promise.promise();
        long t0 = System.nanoTime();
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= count) {
                return;
            }
            NetClient c = clients.get(i % clients.size());
            login(c, host, port, startup).onComplete(ar -> {
                if (ar.succeeded()) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, ar.cause().getMessage());
                }
                int ended = ok.get() + failed.get();
                if (ended % 1000 == 0) {
                    System.out.printf("%d of %d started (%d failed) after %d ms%n", ended, count, failed.get(),
                            (System.nanoTime() - t0) / 1_000_000);
                }
                if (ended == count) {
                    done.tryComplete();
                } else {
                    launch[0].run();
                }
            });
        };
        vertx.runOnContext(v -> {
            for (int k = 0; k < Math.min(concurrency, count); k++) {
                launch[0].run();
            }
        });
        done.future().await();
        System.out.printf("READY %d %d in %d ms%s%n", ok.get(), failed.get(), (System.nanoTime() - t0) / 1_000_000,
                firstError.get() == null ? "" : " (first error: " + firstError.get() + ")");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the harness closes our stdin
        }
        vertx.close().await();
    }

    /** Connects and logs in; completes at ReadyForQuery, fails on ErrorResponse or close. */
    private static Future<NetSocket> login(NetClient client, String host, int port, Buffer startup) {
        return client.connect(port, host).compose(socket -> {
            Promise<NetSocket> ready = Promise.promise();
            FrameDecoder decoder = new FrameDecoder(new FrameListener() {
                @Override
                public void onFrame(byte type, Buffer source, int start, int length) {
                    if (type == PgProtocol.Backend.READY_FOR_QUERY) {
                        ready.tryComplete(socket);
                    } else if (type == PgProtocol.Backend.ERROR_RESPONSE) {
                        ready.tryFail("ErrorResponse: " + source.getString(start + 5, start + length).replace('\0', ' ').strip());
                    }
                }

                @Override
                public void onProtocolError(PgProtocolException e) {
                    ready.tryFail(e);
                }
            }, Integer.MAX_VALUE, false);
            socket.handler(decoder::feed);
            socket.closeHandler(v -> ready.tryFail("closed by the server"));
            socket.write(startup);
            return ready.future();
        });
    }
}
