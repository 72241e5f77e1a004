package org.vxpool.proxy.routing;

import java.util.List;

/** Every statement of one query string, in order. Empty for an empty query. */
public record Classification(List<ClassifiedStatement> statements) {

    public Classification {
        statements = List.copyOf(statements);
    }

    public boolean isMultiStatement() {
        return statements.size() > 1;
    }

    public boolean isEmpty() {
        return statements.isEmpty();
    }

    public boolean anyWrite() {
        return statements.stream().anyMatch(ClassifiedStatement::isWrite);
    }

    /** The only statement; for a Parse, which PostgreSQL allows to hold just one. */
    public ClassifiedStatement single() {
        if (statements.size() != 1) {
            throw new IllegalStateException("expected one statement, got " + statements.size());
        }
        return statements.get(0);
    }
}
