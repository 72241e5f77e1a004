package org.vxpool.common;

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
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport that does what another one does; subclasses change a part of it (the event
 * loop groups, for the launcher's accepting on the I/O loops and the benchmarks' spinning loops).
 */
public abstract class DelegatingTransport implements Transport {
    protected final Transport delegate;

    protected DelegatingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /**
     * This transport as {@code Vertx.builder().withTransport(...)} takes it, when it wraps the epoll
     * transport: available where epoll is.
     */
    public io.vertx.core.transport.Transport asEpollVariant(String name) {
        DelegatingTransport impl = this;
        return new io.vertx.core.transport.Transport() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean available() {
                return io.vertx.core.transport.Transport.EPOLL.available();
            }

            @Override
            public Throwable unavailabilityCause() {
                return io.vertx.core.transport.Transport.EPOLL.unavailabilityCause();
            }

            @Override
            public Transport implementation() {
                return impl;
            }
        };
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
        return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public boolean supportsDomainSockets() {
        return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
        return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return delegate.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(io.vertx.core.net.SocketAddress address) {
        return delegate.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(java.net.SocketAddress address) {
        return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return delegate.ioHandlerFactory();
    }

    @Override
    public DatagramChannel datagramChannel() {
        return delegate.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        return delegate.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
        delegate.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
        delegate.configure(options, connectTimeout, domainSocket, bootstrap);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        delegate.configure(options, domainSocket, bootstrap);
    }
}
