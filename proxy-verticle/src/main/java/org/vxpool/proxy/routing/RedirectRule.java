package org.vxpool.proxy.routing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of {@code database_redirect_preference_list} or {@code app_name_redirect_preference_list}:
 * {@code regex:target(ratio)} where target is {@code primary}, {@code standby} or a node id.
 *
 * @param pattern matched against the whole database or application name (pgpool adds ^ and $)
 * @param nodeId the node for a {@link Target#NODE} rule, else -1
 * @param ratio share of sessions that follow the rule, 0..1 (default 1)
 */
public record RedirectRule(Pattern pattern, Target target, int nodeId, double ratio) {

    public enum Target { PRIMARY, STANDBY, NODE }

    private static final Pattern ENTRY = Pattern.compile("^(.*):\\s*([A-Za-z]+|\\d+)\\s*(?:\\(\\s*([^)]*)\\s*\\))?\\s*$");

    public boolean matches(String name) {
        return name != null && pattern.matcher(name).matches();
    }

    /**
     * Parses one entry.
     *
     * @param key the parameter name, for the error message
     * @throws RoutingSettingsException when the entry is malformed
     */
    public static RedirectRule parse(String key, String entry) {
        Matcher m = ENTRY.matcher(entry.trim());
        if (!m.matches() || m.group(1).isBlank()) {
            throw new RoutingSettingsException(key, entry, "expected name:node(ratio), e.g. mydb:standby(0.5)");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(m.group(1).trim());
        } catch (PatternSyntaxException e) {
            throw new RoutingSettingsException(key, entry, "invalid regular expression: " + e.getDescription());
        }
        double ratio = 1.0;
        if (m.group(3) != null) {
            try {
                ratio = Double.parseDouble(m.group(3).trim());
            } catch (NumberFormatException e) {
                throw new RoutingSettingsException(key, entry, "ratio is not a number");
            }
            if (ratio < 0 || ratio > 1) {
                throw new RoutingSettingsException(key, entry, "ratio must be between 0 and 1");
            }
        }
        String t = m.group(2).toLowerCase();
        return switch (t) {
            case "primary" -> new RedirectRule(pattern, Target.PRIMARY, -1, ratio);
            case "standby" -> new RedirectRule(pattern, Target.STANDBY, -1, ratio);
            default -> {
                if (!Character.isDigit(t.charAt(0))) {
                    throw new RoutingSettingsException(key, entry, "node must be primary, standby or a node id");
                }
                yield new RedirectRule(pattern, Target.NODE, Integer.parseInt(t), ratio);
            }
        };
    }
}
