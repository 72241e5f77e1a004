package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.vxpool.common.config.ClusteringMode;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * The configuration the router and classifier read, taken from one {@link PoolConfig} snapshot.
 * A reload builds a new value.
 *
 * @param raw {@code backend_clustering_mode = raw}: everything goes to the main node
 * @param delayThresholdBytes {@code delay_threshold}; 0 disables
 * @param delayThresholdMillis {@code delay_threshold_by_time}; when above 0 it replaces the byte threshold
 */
public record RoutingSettings(
        boolean loadBalance,
        boolean raw,
        DisableLoadBalanceOnWrite writeMode,
        boolean statementLevel,
        boolean allowSqlComments,
        boolean ignoreLeadingWhiteSpace,
        long delayThresholdBytes,
        long delayThresholdMillis,
        boolean preferLowerDelayStandby,
        List<RedirectRule> databaseRedirects,
        List<RedirectRule> appNameRedirects,
        List<Pattern> writeFunctions,
        List<Pattern> readOnlyFunctions,
        List<Pattern> primaryRoutingPatterns) {

    public RoutingSettings {
        databaseRedirects = List.copyOf(databaseRedirects);
        appNameRedirects = List.copyOf(appNameRedirects);
        writeFunctions = List.copyOf(writeFunctions);
        readOnlyFunctions = List.copyOf(readOnlyFunctions);
        primaryRoutingPatterns = List.copyOf(primaryRoutingPatterns);
        if (!writeFunctions.isEmpty() && !readOnlyFunctions.isEmpty()) {
            throw new RoutingSettingsException("write_function_list", "", "read_only_function_list is set too; "
                    + "only one of them may be set");
        }
    }

    /** pgpool's defaults: load balancing on, {@code disable_load_balance_on_write = transaction}. */
    public static RoutingSettings defaults() {
        return new RoutingSettings(true, false, DisableLoadBalanceOnWrite.TRANSACTION, false, false, true, 0, 0,
                false, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** @throws RoutingSettingsException for a malformed redirect entry or regular expression */
    public static RoutingSettings from(PoolConfig config) {
        return new RoutingSettings(
                config.get(Params.LOAD_BALANCE_MODE),
                config.clusteringMode() == ClusteringMode.RAW,
                config.get(Params.DISABLE_LOAD_BALANCE_ON_WRITE),
                config.get(Params.STATEMENT_LEVEL_LOAD_BALANCE),
                config.get(Params.ALLOW_SQL_COMMENTS),
                config.get(Params.IGNORE_LEADING_WHITE_SPACE),
                config.get(Params.DELAY_THRESHOLD),
                config.get(Params.DELAY_THRESHOLD_BY_TIME),
                config.get(Params.PREFER_LOWER_DELAY_STANDBY),
                redirects("database_redirect_preference_list", config.get(Params.DATABASE_REDIRECT_PREFERENCE_LIST)),
                redirects("app_name_redirect_preference_list", config.get(Params.APP_NAME_REDIRECT_PREFERENCE_LIST)),
                patterns("write_function_list", config.get(Params.WRITE_FUNCTION_LIST)),
                patterns("read_only_function_list", config.get(Params.READ_ONLY_FUNCTION_LIST)),
                patterns("primary_routing_query_pattern_list",
                        primaryPatterns(config)));
    }

    public RoutingSettings withWriteMode(DisableLoadBalanceOnWrite mode) {
        return new RoutingSettings(loadBalance, raw, mode, statementLevel, allowSqlComments, ignoreLeadingWhiteSpace,
                delayThresholdBytes, delayThresholdMillis, preferLowerDelayStandby, databaseRedirects,
                appNameRedirects, writeFunctions, readOnlyFunctions, primaryRoutingPatterns);
    }

    /** The switches {@code PGPOOL SET} may change for one session. */
    public RoutingSettings withSessionSwitches(boolean statementLevel, DisableLoadBalanceOnWrite mode,
            boolean allowSqlComments, boolean ignoreLeadingWhiteSpace) {
        return new RoutingSettings(loadBalance, raw, mode, statementLevel, allowSqlComments, ignoreLeadingWhiteSpace,
                delayThresholdBytes, delayThresholdMillis, preferLowerDelayStandby, databaseRedirects,
                appNameRedirects, writeFunctions, readOnlyFunctions, primaryRoutingPatterns);
    }

    /** Whether a delay threshold is configured at all. */
    public boolean delayCheck() {
        return delayThresholdMillis > 0 || delayThresholdBytes > 0;
    }

    /** Whether {@code lag} is over the configured threshold (time-based when {@code delay_threshold_by_time} is set). */
    public boolean tooFarBehind(ReplicationLag lag) {
        if (delayThresholdMillis > 0) {
            return lag.millis() > delayThresholdMillis;
        }
        return delayThresholdBytes > 0 && lag.bytes() > delayThresholdBytes;
    }

    static List<RedirectRule> redirects(String key, List<String> entries) {
        List<RedirectRule> out = new ArrayList<>();
        for (String e : entries) {
            out.add(RedirectRule.parse(key, e));
        }
        return out;
    }

    /** Compiled case-insensitively and matched whole, as pgpool anchors each with ^ and $. */
    static List<Pattern> patterns(String key, List<String> entries) {
        List<Pattern> out = new ArrayList<>();
        for (String e : entries) {
            try {
                out.add(Pattern.compile(e, Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
            } catch (PatternSyntaxException ex) {
                throw new RoutingSettingsException(key, e, "invalid regular expression: " + ex.getDescription());
            }
        }
        return out;
    }

    /**
     * pgpool writes a literal ';' inside a pattern as "\;", which the generic list split would cut,
     * so the raw value is split here, honouring the escape.
     */
    static List<String> primaryPatterns(PoolConfig config) {
        String raw = config.raw().get(Params.PRIMARY_ROUTING_QUERY_PATTERN_LIST.name());
        return raw == null ? config.get(Params.PRIMARY_ROUTING_QUERY_PATTERN_LIST) : splitUnescaped(raw);
    }

    static List<String> splitUnescaped(String raw) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                current.append(c).append(raw.charAt(++i));
            } else if (c == ';') {
                addIfNotBlank(out, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        addIfNotBlank(out, current);
        return out;
    }

    private static void addIfNotBlank(List<String> out, StringBuilder s) {
        if (!s.toString().isBlank()) {
            out.add(s.toString().trim());
        }
    }
}
