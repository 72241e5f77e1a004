package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.ProxySettings;

/** {@code SHOW pool_status}: item / value / description for the settings the proxy runs with. */
final class PoolStatus implements ShowCommand {

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        ProxySettings s = ctx.settings();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("listen_addresses", String.join(",", s.listenAddresses()), "host name(s) or IP address(es) to listen on"));
        rows.add(List.of("port", Integer.toString(s.port()), "pgpool accepting port number"));
        rows.add(List.of("num_init_children", Integer.toString(s.numInitChildren()), "# of children initially pre-forked"));
        rows.add(List.of("max_pool", Integer.toString(s.maxPool()), "max # of connection pool per child"));
        rows.add(List.of("connection_life_time", Integer.toString(s.connectionLifeTime()), "if idle for this seconds, connection to PostgreSQL closes"));
        rows.add(List.of("client_idle_limit", Integer.toString(s.clientIdleLimit()), "if idle for this seconds, child connection closes"));
        rows.add(List.of("authentication_timeout", Integer.toString(s.authenticationTimeout()), "maximum time in seconds to complete client authentication"));
        rows.add(List.of("reset_query_list", String.join(";", s.resetQueryList()), "queries issued at the end of session"));
        if (ctx.view() != null) {
            ctx.view().nodes().forEach(n -> {
                rows.add(List.of("backend_hostname" + n.id(), n.host(), "backend #" + n.id() + " hostname"));
                rows.add(List.of("backend_port" + n.id(), Integer.toString(n.port()), "backend #" + n.id() + " port number"));
                rows.add(List.of("backend_weight" + n.id(), String.format(java.util.Locale.ROOT, "%f", n.weight()), "weight of backend #" + n.id()));
                rows.add(List.of("backend_status" + n.id(), n.status().pgpoolName(), "status of backend #" + n.id()));
            });
        }
        return Future.succeededFuture(new ShowResult(List.of("item", "value", "description"), rows));
    }
}
