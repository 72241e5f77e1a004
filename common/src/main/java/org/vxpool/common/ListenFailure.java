package org.vxpool.common;

import java.net.BindException;
import java.util.Locale;

/**
 * The one line an operator reads when a server cannot bind, the same for every listener
 * (proxy, admin API, watchdog): {@code could not listen on 127.0.0.1:9999: address already in use}.
 */
public final class ListenFailure {

    private static final String IN_USE = "address already in use";

    private ListenFailure() {
    }

    public static IllegalStateException of(String host, int port, Throwable cause) {
        return new IllegalStateException(message(host, port, cause), cause);
    }

    public static String message(String host, int port, Throwable cause) {
        return "could not listen on " + host + ":" + port + ": " + reason(cause);
    }

    /**
     * Netty reports a busy port as a {@link BindException} or, with the native transport, as
     * "bind(..) failed: Address already in use"; both become "address already in use".
     */
    static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String text = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (text.contains(IN_USE)) {
                return IN_USE;
            }
            if (t instanceof BindException) {
                return text.substring(text.lastIndexOf(':') + 1).strip();
            }
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
