package org.vxpool.common.config;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import org.vxpool.common.Addresses;

/**
 * The {@link Addresses#CONFIG_RELOAD} publish: a reloaded {@link PoolConfig} handed to this JVM's
 * verticles as the object itself. A snapshot is immutable, so sharing it between event loops is
 * safe, and nobody parses the file twice.
 */
public final class ConfigReload {
    private static final String CODEC = "vxpool.poolconfig.local";

    private ConfigReload() {
    }

    /** Hands {@code config} to every consumer registered with {@link #consumer} in this JVM. */
    public static void publish(Vertx vertx, PoolConfig config) {
        ensureCodec(vertx);
        vertx.eventBus().publish(Addresses.CONFIG_RELOAD, config, new DeliveryOptions().setCodecName(CODEC).setLocalOnly(true));
    }

    public static MessageConsumer<PoolConfig> consumer(Vertx vertx, Handler<PoolConfig> handler) {
        ensureCodec(vertx);
        return vertx.eventBus().<PoolConfig>localConsumer(Addresses.CONFIG_RELOAD, m -> handler.handle(m.body()));
    }

    private static synchronized void ensureCodec(Vertx vertx) {
        try {
            vertx.eventBus().registerCodec(new LocalCodec());
        } catch (IllegalStateException alreadyRegistered) {
            // every verticle calls this; the first one registers
        }
    }

    /** Local delivery only: the object is passed by reference and never serialized. */
    private static final class LocalCodec implements MessageCodec<PoolConfig, PoolConfig> {
        @Override
        public void encodeToWire(Buffer buffer, PoolConfig config) {
            throw new UnsupportedOperationException("a PoolConfig is only handed to verticles of this JVM");
        }

        @Override
        public PoolConfig decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("a PoolConfig is only handed to verticles of this JVM");
        }

        @Override
        public PoolConfig transform(PoolConfig config) {
            return config;
        }

        @Override
        public String name() {
            return CODEC;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
