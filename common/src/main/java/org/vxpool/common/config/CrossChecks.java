package org.vxpool.common.config;

import java.util.List;

/**
 * Rules that span several keys. Each problem is reported at the line of the key that completes
 * the conflict, so the operator sees where to look.
 */
final class CrossChecks {
    private CrossChecks() {
    }

    static void check(Settings s, List<BackendConfig> backends, Problems problems) {
        functionLists(s, problems);
        ssl(s, problems);
        eventBusSsl(s, problems);
        adminSsl(s, problems);
        healthCheckUsers(s, backends, problems);
        alwaysPrimary(s, backends, problems);
    }

    private static void functionLists(Settings s, Problems problems) {
        Param<List<String>> w = Params.WRITE_FUNCTION_LIST;
        Param<List<String>> r = Params.READ_ONLY_FUNCTION_LIST;
        if (!s.get(w).isEmpty() && !s.get(r).isEmpty()) {
            Param<?> later = s.line(w) > s.line(r) ? w : r;
            report(s, later, problems, "write_function_list and read_only_function_list are both set; "
                    + "set only one of them (the other is implied)");
        }
    }

    private static void ssl(Settings s, Problems problems) {
        if (s.get(Params.SSL) && (s.get(Params.SSL_KEY).isBlank() || s.get(Params.SSL_CERT).isBlank())) {
            report(s, Params.SSL, problems, "ssl is on but ssl_key or ssl_cert is not set");
        }
    }

    /** Without all three the event bus could neither prove who it is nor check who connects. */
    private static void eventBusSsl(Settings s, Problems problems) {
        requireFiles(s, problems, Params.EVENTBUS_SSL,
                List.of(Params.EVENTBUS_SSL_CERT, Params.EVENTBUS_SSL_KEY, Params.EVENTBUS_SSL_CA_CERT));
    }

    /** Checked here rather than when the admin API binds, so it is a config error (exit 2) like the others. */
    private static void adminSsl(Settings s, Problems problems) {
        requireFiles(s, problems, Params.ADMIN_SSL, List.of(Params.ADMIN_SSL_CERT, Params.ADMIN_SSL_KEY));
    }

    private static void requireFiles(Settings s, Problems problems, Param<Boolean> on, List<Param<String>> files) {
        if (!s.get(on)) {
            return;
        }
        List<String> missing = files.stream().filter(p -> s.get(p).isBlank()).map(Param::name).toList();
        if (!missing.isEmpty()) {
            report(s, on, problems, on.name() + " is on but " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set");
        }
    }

    /** A health check without a user cannot log in; pgpool would fail every check and fail over. */
    private static void healthCheckUsers(Settings s, List<BackendConfig> backends, Problems problems) {
        for (BackendConfig b : backends) {
            int id = b.id();
            if (s.get(Params.HEALTH_CHECK_PERIOD_N, id) > 0 && s.get(Params.HEALTH_CHECK_USER_N, id).isBlank()) {
                var perNode = s.indices(Params.HEALTH_CHECK_PERIOD_N).get(id);
                String message = "health check of backend " + id + " is enabled but health_check_user is empty";
                if (perNode != null) {
                    problems.error(perNode.entry(), message);
                } else {
                    report(s, Params.HEALTH_CHECK_PERIOD, problems, message);
                }
            }
        }
    }

    private static void alwaysPrimary(Settings s, List<BackendConfig> backends, Problems problems) {
        List<BackendConfig> flagged = backends.stream().filter(BackendConfig::alwaysPrimary).toList();
        if (flagged.size() > 1) {
            var second = s.indices(Params.BACKEND_FLAG).get(flagged.get(1).id());
            problems.error(second.entry(), "ALWAYS_PRIMARY is set on more than one backend (backends "
                    + flagged.stream().map(b -> String.valueOf(b.id())).toList() + ")");
        }
    }

    private static void report(Settings s, Param<?> at, Problems problems, String message) {
        s.setting(at).ifPresentOrElse(set -> problems.error(set.entry(), message),
                () -> problems.error(at.name(), message));
    }
}
