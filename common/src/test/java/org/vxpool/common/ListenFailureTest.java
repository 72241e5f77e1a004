package org.vxpool.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class ListenFailureTest {

    @Test
    void aBusyPortReadsTheSameWhicheverTransportReportedIt() {
        assertThat(ListenFailure.message("127.0.0.1", 9999, new BindException("Address already in use")))
                .isEqualTo("could not listen on 127.0.0.1:9999: address already in use");
        // Netty's epoll transport: a plain IOException subclass with the syscall in front.
        IOException epoll = new IOException("bind(..) failed: Address already in use");
        assertThat(ListenFailure.message("127.0.0.1", 9999, new RuntimeException(epoll)))
                .isEqualTo("could not listen on 127.0.0.1:9999: address already in use");
    }

    @Test
    void otherFailuresKeepTheirOwnWords() {
        assertThat(ListenFailure.message("10.9.9.9", 80, new BindException("Cannot assign requested address")))
                .isEqualTo("could not listen on 10.9.9.9:80: cannot assign requested address");
        assertThat(ListenFailure.message("h", 1, new IllegalStateException("boom")))
                .isEqualTo("could not listen on h:1: boom");
    }
}
