package org.vxpool.admin;

import java.net.BindException;
import java.util.Locale;

/** The one-line reason a server could not bind, in the words an operator searches for. */
final class ListenFailure {

    private ListenFailure() {
    }

    static IllegalStateException of(String host, int port, Throwable cause) {
        return new IllegalStateException("could not listen on " + host + ":" + port + ": " + reason(cause), cause);
    }

    /**
     * Netty reports a busy port as a {@link BindException} or, with the native transport, as
     * "bind(..) failed: Address already in use"; both become "address already in use".
     */
    static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof BindException || message.contains("Address already in use")) {
                String text = message.substring(message.indexOf(':') + 1).strip();
                return text.isEmpty() ? "address already in use" : text.toLowerCase(Locale.ROOT);
            }
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
