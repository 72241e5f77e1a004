package org.vxpool.watchdog.election;

/**
 * The fixed inputs of one node's election.
 *
 * @param configuredMembers every member in the configuration, this node included: the quorum base
 * @param halfVotes         {@code enable_consensus_with_half_votes}
 * @param witness           this node only votes ({@code proxy_enabled = off})
 * @param vipConfigured     a delegate IP is set, so an ARP probe must precede escalation
 * @param trustedConfigured {@code trusted_servers} is set, so a check result must arrive first
 */
public record ElectionSettings(String name, int priority, long startTime, int configuredMembers,
        boolean halfVotes, boolean witness, boolean vipConfigured, boolean trustedConfigured) {

    /** Quorum over the configured members: more than half, or exactly half with half votes. */
    public boolean quorum(int present) {
        return present * 2 > configuredMembers || (halfVotes && present * 2 == configuredMembers);
    }

    /** How many members pgpool's "Nodes required for quorum" line shows. */
    public int requiredForQuorum() {
        return halfVotes ? (configuredMembers + 1) / 2 : configuredMembers / 2 + 1;
    }
}
