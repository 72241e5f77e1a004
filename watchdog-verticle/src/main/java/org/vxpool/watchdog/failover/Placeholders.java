package org.vxpool.watchdog.failover;

import org.vxpool.common.config.BackendConfig;

/**
 * The values pgpool substitutes into {@code failover_command}, {@code follow_primary_command} and
 * {@code failback_command}. A missing node (no new main, no old primary) prints as {@code -1}
 * for its id and as an empty string for its host, port and directory, as pgpool does.
 *
 * @param node {@code %d %h %p %D}: the failed node (for follow_primary_command: the standby to
 *     re-point; for failback_command: the attached node)
 * @param newMain {@code %m %H %r %R}
 * @param oldMain {@code %M}
 * @param oldPrimary {@code %P %N %S}
 */
public record Placeholders(BackendConfig node, BackendConfig newMain, BackendConfig oldMain, BackendConfig oldPrimary) {

    /** Expands every placeholder; an unknown {@code %x} is kept as written. */
    public String expand(String template) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' || i + 1 == template.length()) {
                out.append(c);
                continue;
            }
            char key = template.charAt(++i);
            String value = value(key);
            if (value == null) {
                out.append('%').append(key);
            } else {
                out.append(value);
            }
        }
        return out.toString();
    }

    private String value(char key) {
        return switch (key) {
            case 'd' -> id(node);
            case 'h' -> node == null ? "" : node.host();
            case 'p' -> port(node);
            case 'D' -> node == null ? "" : node.dataDirectory();
            case 'm' -> id(newMain);
            case 'H' -> newMain == null ? "" : newMain.host();
            case 'r' -> port(newMain);
            case 'R' -> newMain == null ? "" : newMain.dataDirectory();
            case 'M' -> id(oldMain);
            case 'P' -> id(oldPrimary);
            case 'N' -> oldPrimary == null ? "" : oldPrimary.host();
            case 'S' -> port(oldPrimary);
            case '%' -> "%";
            default -> null;
        };
    }

    private static String id(BackendConfig b) {
        return b == null ? "-1" : Integer.toString(b.id());
    }

    private static String port(BackendConfig b) {
        return b == null ? "" : Integer.toString(b.port());
    }
}
