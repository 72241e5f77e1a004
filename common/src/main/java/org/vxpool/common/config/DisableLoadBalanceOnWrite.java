package org.vxpool.common.config;

/** Where reads go after a write ({@code disable_load_balance_on_write}). */
public enum DisableLoadBalanceOnWrite {
    /** Keep balancing reads even after a write. */
    OFF,
    /** Reads after a write in the same explicit transaction go to the primary. */
    TRANSACTION,
    /** As TRANSACTION, and later transactions of the session too, until the session ends. */
    TRANS_TRANSACTION,
    /** After a write, every read of the session goes to the primary. */
    ALWAYS,
    /** Only reads of objects written (or related by dml_adaptive_object_relationship_list). */
    DML_ADAPTIVE
}
