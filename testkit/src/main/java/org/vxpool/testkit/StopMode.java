package org.vxpool.testkit;

/** Shutdown modes of {@code pg_ctl stop -m}. */
public enum StopMode {
    SMART, FAST, IMMEDIATE;

    /** The name {@code pg_ctl -m} expects. */
    public String pgCtlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
