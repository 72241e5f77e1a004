package org.vxpool.proxy.bench;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;
import org.vxpool.common.DelegatingTransport;

/**
 * Vert.x's epoll transport with {@link SpinSelectStrategy} on the I/O event loops when a spin
 * budget is given (the acceptor loop keeps Netty's default strategy), and optionally without the
 * acceptor thread: server channels then accept on one of the I/O loops. Pass {@link #create}'s
 * result to {@code Vertx.builder().withTransport(...)}.
 */
final class ExperimentalEpoll {
    private ExperimentalEpoll() {
    }

    static Transport create(long budgetNanos, boolean yield, boolean acceptOnIoLoop) {
        return new ExperimentalEpollTransport(Transport.EPOLL.implementation(), budgetNanos, yield, acceptOnIoLoop)
                .asEpollVariant("epoll (experimental)");
    }

    private static final class ExperimentalEpollTransport extends DelegatingTransport {
        private final long budgetNanos;
        private final boolean yield;
        private final boolean acceptOnIoLoop;
        private EventLoopGroup ioGroup;

        ExperimentalEpollTransport(io.vertx.core.spi.transport.Transport epoll, long budgetNanos, boolean yield, boolean acceptOnIoLoop) {
            super(epoll);
            this.budgetNanos = budgetNanos;
            this.yield = yield;
            this.acceptOnIoLoop = acceptOnIoLoop;
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
            if (type != IO_EVENT_LOOP_GROUP) {
                // Vert.x 5.0.7 builds the I/O group first. Vert.x then closes the same group twice
                // on shutdown, which Netty allows (the launcher's AcceptOnEventLoops does the same).
                return acceptOnIoLoop && ioGroup != null ? ioGroup : delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
            }
            ioGroup = new MultiThreadIoEventLoopGroup(nThreads, threadFactory, EpollIoHandler.newFactory(0,
                    budgetNanos > 0 ? () -> new SpinSelectStrategy(budgetNanos, yield, System::nanoTime)
                            : DefaultSelectStrategyFactory.INSTANCE));
            return ioGroup;
        }
    }
}
