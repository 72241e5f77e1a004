package org.vxpool.proxy.routing;

/** A routing parameter that the config loader accepted but the router cannot use. */
public class RoutingSettingsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RoutingSettingsException(String key, String entry, String problem) {
        super(key + ": '" + entry + "': " + problem);
    }
}
