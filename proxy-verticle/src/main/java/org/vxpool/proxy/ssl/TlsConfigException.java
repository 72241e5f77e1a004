package org.vxpool.proxy.ssl;

import java.util.List;

/** {@code ssl = on} with unusable certificate settings; every problem on its own line. */
public final class TlsConfigException extends RuntimeException {
    public TlsConfigException(List<String> problems) {
        super(String.join("\n", problems));
    }
}
