package org.vxpool.watchdog.recovery;

/** The steps of one online recovery, in order. {@link #key()} is what the event-bus bodies carry. */
public enum RecoveryStage {
    FIRST_STAGE("first_stage", "1st stage (basebackup)"),
    REMOTE_START("remote_start", "remote start"),
    WAIT_FOR_CONNECTIONS("wait_for_connections", "waiting for connections"),
    FAILBACK("failback", "failback");

    private final String key;
    private final String label;

    RecoveryStage(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    /** How logs and refusal reasons name the stage. */
    public String label() {
        return label;
    }
}
