package org.vxpool.launcher;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's native epoll transport, except that listening sockets accept on the I/O event loops
 * instead of on Vert.x's acceptor thread. With the acceptor thread every new connection costs one
 * more thread wake-up (the acceptor accepts, then hands the socket to an event loop through its
 * task queue and eventfd); with one event loop the loop that accepts also serves the connection.
 * On the 2-core benchmark machine, where a wake-up is the unit of cost, this took transaction
 * pooling's connection rate from 0.96× to 1.08× PgBouncer's with one event loop
 * (docs/BENCHMARKS.md). {@code -Dvxpool.accept_on_event_loop=false} keeps Vert.x's acceptor
 * thread.
 *
 * <p>Vert.x 5.0 asks for the I/O group first and shuts the acceptor group down before the I/O
 * group; here both are the same group, and Netty's second graceful shutdown of a group returns the
 * first one's termination future.
 */
final class AcceptOnEventLoops implements Transport {
    static final String PROPERTY = "vxpool.accept_on_event_loop";

    private final io.vertx.core.spi.transport.Transport impl;

    private AcceptOnEventLoops(io.vertx.core.spi.transport.Transport epoll) {
        this.impl = new Impl(epoll);
    }

    /**
     * The transport the node should run on: this one when the native epoll transport loads and the
     * property does not turn it off, otherwise none (Vert.x picks epoll or NIO itself).
     */
    static Transport choose() {
        if (!Transport.EPOLL.available() || "false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip())) {
            return null;
        }
        return new AcceptOnEventLoops(Transport.EPOLL.implementation());
    }

    /** Why {@code -Dvxpool.accept_on_event_loop=value} cannot be used; empty when unset or valid. */
    static java.util.Optional<String> problem(String value) {
        if (value == null || value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("-D" + PROPERTY + "=" + value + ": true or false expected");
    }

    @Override
    public String name() {
        return "epoll, accepting on the event loops";
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

    private static final class Impl implements io.vertx.core.spi.transport.Transport {
        private final io.vertx.core.spi.transport.Transport epoll;
        private EventLoopGroup ioGroup;

        Impl(io.vertx.core.spi.transport.Transport epoll) {
            this.epoll = epoll;
        }

        @Override
        public synchronized EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
            if (type == ACCEPTOR_EVENT_LOOP_GROUP && ioGroup != null) {
                return ioGroup;
            }
            EventLoopGroup group = epoll.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
            if (type == IO_EVENT_LOOP_GROUP) {
                ioGroup = group;
            }
            return group;
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
