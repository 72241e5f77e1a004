package org.vxpool.proxy.show;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vxpool.common.config.IndexedParam;
import org.vxpool.common.config.Param;
import org.vxpool.common.config.Params;
import org.vxpool.proxy.protocol.SqlState;

/**
 * A name in a PGPOOL command, looked up as pgpool does: a global parameter (or an alias), an
 * indexed one with its index ({@code backend_port1}), an indexed one without ({@code backend_port}:
 * every index), or a group. Case-insensitive: {@code delegate_ip} and {@code "delegate_IP"} are one.
 *
 * @param index the index of {@code indexed}, or -1 for all of them
 */
record ParamName(Param<?> global, IndexedParam<?> indexed, int index) {
    private static final Pattern WITH_INDEX = Pattern.compile("(.*?)(\\d{1,3})");

    static Optional<ParamName> lookup(String name) {
        Optional<Param<?>> p = Params.byName(name);
        if (p.isPresent()) {
            return Optional.of(new ParamName(p.get(), null, -1));
        }
        Matcher m = WITH_INDEX.matcher(name);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(2));
            Optional<IndexedParam<?>> ip = Params.indexedByName(m.group(1));
            if (ip.isPresent() && i <= IndexedParam.MAX_INDEX) {
                return Optional.of(new ParamName(null, ip.get(), i));
            }
        }
        return Params.indexedByName(name).map(ip -> new ParamName(null, ip, -1));
    }

    /** 42704, as PostgreSQL answers SHOW or SET of a name it does not know. */
    static ShowException unknown(String name) {
        String message = "unrecognized configuration parameter \"" + name + "\"";
        return Params.isUnsupported(name)
                ? new ShowException(SqlState.UNDEFINED_OBJECT, message, "vxpool accepts this pgpool-II parameter in pgpool.conf but does not implement it")
                : new ShowException(SqlState.UNDEFINED_OBJECT, message);
    }
}
