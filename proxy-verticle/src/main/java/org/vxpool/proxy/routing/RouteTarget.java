package org.vxpool.proxy.routing;

/** Where a statement goes. */
public enum RouteTarget {
    /** The primary (in raw mode: the main node). */
    PRIMARY,
    /** The session's read node, which may be the primary itself when weights chose it. */
    LOAD_BALANCE_NODE,
    /** Every backend the session holds, so they keep the same session state. The primary's reply is the answer. */
    ALL_SESSION_NODES,
    /** vxpool answers itself ({@code SHOW pool_nodes}...). */
    INTERCEPT,
    /** No usable node: the session answers with an error and the reason. */
    NO_NODE
}
