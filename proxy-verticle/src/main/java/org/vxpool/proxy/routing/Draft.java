package org.vxpool.proxy.routing;

import java.util.LinkedHashSet;
import java.util.Set;

/** A verdict being built by the classifier; becomes a {@link ClassifiedStatement}. */
final class Draft {
    StatementKind kind;
    String reason;
    TxAccess access = TxAccess.UNSPECIFIED;
    Isolation isolation = Isolation.UNSPECIFIED;
    boolean chain;
    PreparedOp prepared = PreparedOp.NONE;
    String name = "";
    boolean systemCatalog;
    boolean temporary;
    final Set<String> written = new LinkedHashSet<>();
    final Set<String> read = new LinkedHashSet<>();

    Draft(StatementKind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    Draft kind(StatementKind newKind, String newReason) {
        this.kind = newKind;
        this.reason = newReason;
        return this;
    }

    ClassifiedStatement build(LexedStatement s) {
        return new ClassifiedStatement(kind, reason, s.text(), s.commentFirst(), s.whitespaceFirst(), access,
                isolation, chain, prepared, name, systemCatalog, temporary, written, read);
    }
}
