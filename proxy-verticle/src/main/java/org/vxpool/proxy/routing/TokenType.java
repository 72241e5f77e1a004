package org.vxpool.proxy.routing;

/** Lexical classes the classifier needs; PostgreSQL's finer distinctions do not change a route. */
public enum TokenType {
    /** Unquoted keyword or identifier, lower-cased as PostgreSQL folds it. */
    WORD,
    /** {@code "..."} identifier, case kept, {@code ""} unescaped. */
    QUOTED_IDENT,
    /** Any string constant: {@code '...'}, {@code E'...'}, {@code B'...'}, {@code U&'...'}, {@code $tag$...$tag$}. */
    STRING,
    NUMBER,
    /** {@code $1}: a bind parameter. */
    PARAM,
    /** One of {@code ( ) [ ] , . ; :} or {@code ::}. */
    PUNCT,
    /** An operator such as {@code =}, {@code <>}, {@code ||}. */
    OPERATOR
}
