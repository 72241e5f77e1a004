package org.vxpool.proxy.show;

import java.util.List;

/**
 * A SHOW answer: column names and rows of text values (null prints as SQL NULL). A command
 * without rows ({@code PGPOOL SET}) has no columns and a {@code tag} for its CommandComplete.
 *
 * @param tag the CommandComplete tag; null means {@code SELECT <rows>}
 */
public record ShowResult(List<String> columns, List<List<String>> rows, String tag) {

    public ShowResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public ShowResult(List<String> columns, List<List<String>> rows) {
        this(columns, rows, null);
    }

    /** A command that answers only CommandComplete with {@code tag}. */
    static ShowResult command(String tag) {
        return new ShowResult(List.of(), List.of(), tag);
    }

    /** Whether the answer has a RowDescription (else NoData to a Describe). */
    boolean hasRows() {
        return tag == null;
    }

    String commandTag() {
        return tag != null ? tag : "SELECT " + rows.size();
    }
}
