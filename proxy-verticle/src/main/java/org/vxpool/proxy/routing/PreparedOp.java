package org.vxpool.proxy.routing;

/** What a statement does to SQL-level prepared statements. */
public enum PreparedOp {
    NONE,
    /** {@code PREPARE name AS ...}. */
    PREPARE,
    /** {@code DEALLOCATE name}. */
    DEALLOCATE,
    /** {@code DEALLOCATE ALL} or {@code DISCARD ALL}. */
    DEALLOCATE_ALL
}
