package org.vxpool.admin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code ~/.vxpoolpass}: {@code host:port:user:password} lines, like {@code .pcppass}; {@code *}
 * matches any host, port or user, and the first matching line wins. A {@code :} or {@code \} inside
 * a field is escaped with {@code \}.
 */
final class PassFile {
    private PassFile() {
    }

    static Optional<String> lookup(Path file, String host, int port, String user) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = split(line);
                if (f.length == 4 && matches(f[0], host) && matches(f[1], Integer.toString(port)) && matches(f[2], user)) {
                    return Optional.of(f[3]);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    /** Splits on unescaped colons, at most four fields (the password may contain colons if escaped). */
    private static String[] split(String line) {
        java.util.List<String> fields = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 3) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        return fields.toArray(String[]::new);
    }
}
