package org.vxpool.proxy.show;

import java.util.List;

/** A SHOW answer: column names and rows of text values (null prints as SQL NULL). */
public record ShowResult(List<String> columns, List<List<String>> rows) {

    public ShowResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
