package org.vxpool.proxy.routing;

/** A transaction isolation level as written in SQL. */
public enum Isolation {
    UNSPECIFIED,
    READ_UNCOMMITTED,
    READ_COMMITTED,
    REPEATABLE_READ,
    SERIALIZABLE
}
