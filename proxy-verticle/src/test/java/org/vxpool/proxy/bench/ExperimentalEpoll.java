package org.vxpool.proxy.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's epoll transport with {@link SpinSelectStrategy} on the I/O event loops when a spin
 * budget is given (the acceptor loop keeps Netty's default strategy), and optionally without the
 * acceptor thread: server channels then accept on one of the I/O loops. Pass it to
 * {@code Vertx.builder().withTransport(...)}.
 */
final class ExperimentalEpoll implements Transport {
    private final io.vertx.core.spi.transport.Transport impl;

    ExperimentalEpoll(long budgetNanos, boolean yield, boolean acceptOnIoLoop) {
        this.impl = new ExperimentalEpollTransport(Transport.EPOLL.implementation(), budgetNanos, yield, acceptOnIoLoop);
    }

    @Override
    public String name() {
        return "epoll (experimental)";
    }

    @Override
    public boolean available() {
        return Transport.EPOLL.available();
    }

    @Override
    public Throwable unavailabilityCause() {
        return Transport.EPOLL.unavailabilityCause();
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return impl;
    }

    private static final class ExperimentalEpollTransport implements io.vertx.core.spi.transport.Transport {
        private final io.vertx.core.spi.transport.Transport epoll;
        private final long budgetNanos;
        private final boolean yield;
        private final boolean acceptOnIoLoop;
        private EventLoopGroup ioGroup;

        ExperimentalEpollTransport(io.vertx.core.spi.transport.Transport epoll, long budgetNanos, boolean yield, boolean acceptOnIoLoop) {
            this.epoll = epoll;
            this.budgetNanos = budgetNanos;
            this.yield = yield;
            this.acceptOnIoLoop = acceptOnIoLoop;
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
            if (type != IO_EVENT_LOOP_GROUP) {
                // Vert.x 5.0.7 builds the I/O group first. Vert.x then closes the same group twice
                // on shutdown: not checked, the benchmarks kill their JVMs.
                return acceptOnIoLoop && ioGroup != null ? ioGroup : epoll.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
            }
            ioGroup = new MultiThreadIoEventLoopGroup(nThreads, threadFactory, EpollIoHandler.newFactory(0,
                    budgetNanos > 0 ? () -> new SpinSelectStrategy(budgetNanos, yield, System::nanoTime)
                            : DefaultSelectStrategyFactory.INSTANCE));
            return ioGroup;
        }

        @Override
        public boolean supportsDomainSockets() {
            return epoll.supportsDomainSockets();
        }

        @Override
        public boolean supportFileRegion() {
            return epoll.supportFileRegion();
        }

        @Override
        public boolean isAvailable() {
            return epoll.isAvailable();
        }

        @Override
        public Throwable unavailabilityCause() {
            return epoll.unavailabilityCause();
        }

        @Override
        public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
            return epoll.convert(address);
        }

        @Override
        public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
            return epoll.convert(address);
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return epoll.ioHandlerFactory();
        }

        @Override
        public DatagramChannel datagramChannel() {
            return epoll.datagramChannel();
        }

        @Override
        public DatagramChannel datagramChannel(InternetProtocolFamily family) {
            return epoll.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            return epoll.channelFactory(domainSocket);
        }

        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return epoll.serverChannelFactory(domainSocket);
        }

        @Override
        public void configure(DatagramChannel channel, DatagramSocketOptions options) {
            epoll.configure(channel, options);
        }

        @Override
        public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
            epoll.configure(options, connectTimeout, domainSocket, bootstrap);
        }

        @Override
        public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
            epoll.configure(options, domainSocket, bootstrap);
        }
    }
}
