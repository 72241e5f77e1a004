package org.vxpool.common.model;

/**
 * Status of one backend node as pgpool-II reports it in {@code SHOW pool_nodes} and keeps in
 * {@code pgpool_status}.
 */
public enum NodeStatus {
    /** Configured, never checked yet (pgpool: "waiting"). Routable once a check succeeds. */
    WAITING("waiting"),
    /** Attached and routable. */
    UP("up"),
    /** Detached: failed over, or detached by an operator. Never routed to. */
    DOWN("down"),
    /** Health checks fail but failover lacked consensus: not routed to, no failover_command. */
    QUARANTINE("quarantine"),
    /** Configuration slot with no backend. */
    UNUSED("unused");

    private final String pgpoolName;

    NodeStatus(String pgpoolName) {
        this.pgpoolName = pgpoolName;
    }

    /** The word pgpool-II uses for this status. */
    public String pgpoolName() {
        return pgpoolName;
    }

    public boolean routable() {
        return this == UP || this == WAITING;
    }

    public static NodeStatus fromPgpoolName(String word) {
        for (NodeStatus s : values()) {
            if (s.pgpoolName.equalsIgnoreCase(word.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown node status '" + word + "'");
    }
}
