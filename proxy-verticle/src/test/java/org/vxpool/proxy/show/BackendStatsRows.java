package org.vxpool.proxy.show;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code SHOW pool_backend_stats} through a proxy: node id → the nine counts, select_cnt … error_cnt. */
public final class BackendStatsRows {
    /** pgpool-II 4.3's columns, in its order. */
    public static final List<String> COLUMNS = List.of("node_id", "hostname", "port", "status", "role", "select_cnt", "insert_cnt",
            "update_cnt", "delete_cnt", "ddl_cnt", "other_cnt", "panic_cnt", "fatal_cnt", "error_cnt");

    private BackendStatsRows() {
    }

    /** Also checks the column names and that every count parses. */
    public static Map<Integer, long[]> read(Connection c) throws SQLException {
        Map<Integer, long[]> rows = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW pool_backend_stats")) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnName(i));
            }
            assertThat(cols).containsExactlyElementsOf(COLUMNS);
            while (rs.next()) {
                long[] counts = new long[9];
                for (int k = 0; k < 9; k++) {
                    counts[k] = Long.parseLong(rs.getString(6 + k));
                }
                rows.put(Integer.parseInt(rs.getString(1)), counts);
            }
        }
        return rows;
    }

    /** {@code after - before} per node. */
    public static Map<Integer, long[]> delta(Map<Integer, long[]> before, Map<Integer, long[]> after) {
        Map<Integer, long[]> d = new LinkedHashMap<>();
        after.forEach((node, a) -> {
            long[] b = before.getOrDefault(node, new long[9]);
            long[] diff = new long[9];
            for (int k = 0; k < 9; k++) {
                diff[k] = a[k] - b[k];
            }
            d.put(node, diff);
        });
        return d;
    }

    /** The counts as {@code select=.. insert=..} for readable assertion messages. */
    public static String describe(long[] counts) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 9; k++) {
            sb.append(k == 0 ? "" : " ").append(COLUMNS.get(5 + k)).append('=').append(counts[k]);
        }
        return sb.toString();
    }
}
