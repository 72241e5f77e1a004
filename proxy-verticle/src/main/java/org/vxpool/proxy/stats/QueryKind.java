package org.vxpool.proxy.stats;

import org.vxpool.proxy.routing.ClassifiedStatement;

/** The kinds of routed statements the metrics count: what the router knows about each one. */
public enum QueryKind {
    /** Could run on any node (SELECT and other reads); pool_nodes' select_cnt counts these too. */
    READ("read"),
    /** DML, DDL and anything else the classifier takes for a write. */
    WRITE("write"),
    /** Transaction control, SET, cursors, and statements the classifier did not recognise. */
    OTHER("other");

    private final String label;

    QueryKind(String label) {
        this.label = label;
    }

    /** The Prometheus label value. */
    public String label() {
        return label;
    }

    public static QueryKind of(ClassifiedStatement statement) {
        return statement.isRead() ? READ : statement.isWrite() ? WRITE : OTHER;
    }
}
