package org.vxpool.proxy.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits pg_hba lines the way PostgreSQL's {@code next_token}/{@code next_field_expand} do: fields
 * are separated by blanks, a field is a comma-separated list (blanks allowed after a comma),
 * double quotes protect blanks, commas and keywords ({@code ""} inside quotes is one quote),
 * and {@code #} outside quotes starts a comment.
 */
final class HbaTokenizer {

    private HbaTokenizer() {
    }

    /** The fields of one (already joined) line; throws IllegalArgumentException on an open quote. */
    static List<List<HbaToken>> fields(String line) {
        List<List<HbaToken>> fields = new ArrayList<>();
        int[] pos = {0};
        while (true) {
            skipBlanks(line, pos);
            if (pos[0] >= line.length() || line.charAt(pos[0]) == '#') {
                return fields;
            }
            List<HbaToken> field = new ArrayList<>();
            boolean more;
            do {
                StringBuilder text = new StringBuilder();
                boolean[] quoted = {false};
                more = readHbaToken(line, pos, text, quoted);
                field.add(new HbaToken(text.toString(), quoted[0]));
                if (more) {
                    skipBlanks(line, pos);
                }
            } while (more);
            fields.add(field);
        }
    }

    /** Reads one token; true when it ended at a comma, so the list goes on. */
    private static boolean readHbaToken(String line, int[] pos, StringBuilder text, boolean[] quoted) {
        boolean inQuote = false;
        int i = pos[0];
        try {
            while (i < line.length()) {
                char c = line.charAt(i);
                if (inQuote) {
                    if (c == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            text.append('"');
                            i += 2;
                            continue;
                        }
                        inQuote = false;
                    } else {
                        text.append(c);
                    }
                    i++;
                    continue;
                }
                if (Character.isWhitespace(c) || c == '#') {
                    return false;
                }
                if (c == ',') {
                    i++;
                    return true;
                }
                if (c == '"') {
                    inQuote = true;
                    quoted[0] = true;
                } else {
                    text.append(c);
                }
                i++;
            }
            if (inQuote) {
                throw new IllegalArgumentException("unterminated quoted string");
            }
            return false;
        } finally {
            pos[0] = i;
        }
    }

    private static void skipBlanks(String line, int[] pos) {
        while (pos[0] < line.length() && Character.isWhitespace(line.charAt(pos[0]))) {
            pos[0]++;
        }
    }
}
