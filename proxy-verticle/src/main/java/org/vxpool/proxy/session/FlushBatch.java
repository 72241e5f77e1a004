package org.vxpool.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.net.impl.VertxConnection;
import java.util.ArrayList;

/**
 * Transaction pooling: the units written to backend connections while the event loop handles one
 * batch of ready sockets go out with one flush per connection, once the batch is handled (a task
 * runs after the loop's I/O). Several clients whose reads arrive in one wake-up and whose units go
 * to one connection (pipelining) then cost one send, and PostgreSQL reads them with one receive.
 * Without it Vert.x flushes a write at once unless that connection itself is being read, so each
 * unit written while handling a client's read was its own send.
 */
final class FlushBatch implements Runnable {
    private static final FastThreadLocal<FlushBatch> LOOP = new FastThreadLocal<>();

    private ArrayList<ChannelHandlerContext> dirty = new ArrayList<>(8);
    private ArrayList<ChannelHandlerContext> flushing = new ArrayList<>(8);

    private FlushBatch() {
    }

    /**
     * Writes {@code msg} to {@code c}, called on {@code c}'s event loop: without a flush, the
     * connection is flushed once the loop's current batch is handled.
     */
    static void write(VertxConnection c, ByteBuf msg) {
        ChannelHandlerContext ctx = c.channelHandlerContext();
        if (!ctx.executor().inEventLoop()) {
            c.write(msg, false, c.voidPromise);
            return;
        }
        FlushBatch b = LOOP.get();
        if (b == null) {
            b = new FlushBatch();
            LOOP.set(b);
        }
        ctx.write(msg, c.voidPromise);
        b.dirty(ctx);
    }

    private void dirty(ChannelHandlerContext ctx) {
        if (dirty.isEmpty()) {
            ctx.executor().execute(this);
        } else if (dirty.contains(ctx)) {
            return;
        }
        dirty.add(ctx);
    }

    @Override
    public void run() {
        // a flush may run listeners that write again: those writes schedule a batch of their own
        ArrayList<ChannelHandlerContext> now = dirty;
        dirty = flushing;
        flushing = now;
        for (int i = 0; i < now.size(); i++) {
            now.get(i).flush();
        }
        now.clear();
    }
}
