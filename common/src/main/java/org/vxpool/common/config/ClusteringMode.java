package org.vxpool.common.config;

/** pgpool-II's {@code backend_clustering_mode}. vxpool implements only two of them. */
public enum ClusteringMode {
    STREAMING_REPLICATION(true),
    NATIVE_REPLICATION(false),
    LOGICAL_REPLICATION(false),
    SLONY(false),
    RAW(true),
    SNAPSHOT_ISOLATION(false);

    private final boolean supported;

    ClusteringMode(boolean supported) {
        this.supported = supported;
    }

    public boolean supported() {
        return supported;
    }

    public String configName() {
        return ValueTypes.configName(this);
    }
}
