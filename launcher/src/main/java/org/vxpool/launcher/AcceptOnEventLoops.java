package org.vxpool.launcher;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.transport.Transport;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import org.vxpool.common.DelegatingTransport;

/**
 * Vert.x's native epoll transport, except that listening sockets accept on the I/O event loops
 * instead of on Vert.x's acceptor thread. With the acceptor thread every new connection costs one
 * more thread wake-up (the acceptor accepts, then hands the socket to an event loop through its
 * task queue and eventfd); with one event loop the loop that accepts also serves the connection.
 * On the 2-core benchmark machine, where a wake-up is the unit of cost, the node's threads were
 * scheduled 5.1 times per new connection instead of 6.3, and with one event loop transaction
 * pooling's connection rate rose by 12 % and 17 % in two runs and fell by 3 % in a third
 * (docs/BENCHMARKS.md, sessions 11 and 12). With several
 * loops half of the accepted sockets still move to another loop, at the cost the acceptor thread
 * had. {@code -Dvxpool.accept_on_event_loop=false} keeps Vert.x's acceptor thread.
 *
 * <p>Vert.x 5.0 asks for the I/O group first and shuts the acceptor group down before the I/O
 * group; here both are the same group, and Netty's second graceful shutdown of a group returns the
 * first one's termination future.
 */
final class AcceptOnEventLoops {
    static final String PROPERTY = "vxpool.accept_on_event_loop";

    private AcceptOnEventLoops() {
    }

    /**
     * The transport the node should run on: this one when the native epoll transport loads and the
     * property does not turn it off, otherwise none (Vert.x picks epoll or NIO itself).
     */
    static Transport choose() {
        if (!Transport.EPOLL.available() || "false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip())) {
            return null;
        }
        return new Impl(Transport.EPOLL.implementation()).asEpollVariant("epoll, accepting on the event loops");
    }

    /** Why {@code -Dvxpool.accept_on_event_loop=value} cannot be used; empty when unset or valid. */
    static Optional<String> problem(String value) {
        if (value == null || value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false")) {
            return Optional.empty();
        }
        return Optional.of("-D" + PROPERTY + "=" + value + ": true or false expected");
    }

    private static final class Impl extends DelegatingTransport {
        private EventLoopGroup ioGroup;

        Impl(io.vertx.core.spi.transport.Transport epoll) {
            super(epoll);
        }

        @Override
        public synchronized EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
            if (type == ACCEPTOR_EVENT_LOOP_GROUP && ioGroup != null) {
                return ioGroup;
            }
            EventLoopGroup group = delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
            if (type == IO_EVENT_LOOP_GROUP) {
                ioGroup = group;
            }
            return group;
        }
    }
}
