package org.vxpool.common.model;

/** Role of a backend in streaming replication, as {@code SHOW pool_nodes} prints it. */
public enum NodeRole {
    PRIMARY("primary"),
    STANDBY("standby"),
    /** Not determined yet (node down or never reached). */
    UNKNOWN("unknown");

    private final String word;

    NodeRole(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
