package org.vxpool.proxy.routing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the tab-separated case tables under {@code src/test/resources/routing}. */
final class CaseFiles {

    private CaseFiles() {
    }

    /** Non-comment lines, with the line number, split at tabs; {NL} becomes a newline. */
    static List<Row> rows(String resource) {
        List<Row> out = new ArrayList<>();
        for (Line l : lines(resource)) {
            if (l.text().isBlank() || l.text().startsWith("#")) {
                continue;
            }
            String[] cols = l.text().split("\t", -1);
            for (int i = 0; i < cols.length; i++) {
                cols[i] = cols[i].replace("{NL}", "\n");
            }
            out.add(new Row(l.number(), cols));
        }
        return out;
    }

    static List<Line> lines(String resource) {
        InputStream in = CaseFiles.class.getResourceAsStream("/routing/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource routing/" + resource);
        }
        List<Line> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                out.add(new Line(++n, line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    record Line(int number, String text) {
    }

    record Row(int line, String[] cols) {
        String col(int i) {
            return i < cols.length ? cols[i] : "";
        }

        @Override
        public String toString() {
            return "line " + line + ": " + String.join(" | ", cols);
        }
    }
}
