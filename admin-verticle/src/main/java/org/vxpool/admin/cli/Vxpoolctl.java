package org.vxpool.admin.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vxpoolctl}: pcp-like commands over the admin API. Output follows pgpool 4.3's pcp tools;
 * ADMIN.md documents the verbs and exit codes.
 */
public final class Vxpoolctl {
    static final int OK = 0;
    /** The node refused or failed the command (its reason is printed). */
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int AUTH = 4;
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private static final String USAGE_TEXT = """
            usage: vxpoolctl [-h host] [-p port] [-U user] [--https] COMMAND [args]
              node-count                 number of backend nodes
              node-info [N] [-v]         one node, or all, as pcp_node_info prints them
              attach N | detach N [-g]   pcp_attach_node / pcp_detach_node; -g waits until every
                                         client has disconnected (up to recovery_timeout)
              promote N [-g] [-s]        pcp_promote_node; -s switches over (fails over the old
                                         primary), -g waits as detach -g does
              recover N                  pcp_recovery_node
              watchdog-info [-v]         pcp_watchdog_info
              stop [-m smart|fast]       stop this node's proxy and watchdog (the admin API stays up)
              start                      start them again
              reload                     re-read the configuration file
            password: VXPOOL_PASSWORD, else ~/.vxpoolpass (host:port:user:password)""";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Vxpoolctl(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Vxpoolctl(System.getenv(), System.out, System.err).run(args));
    }

    private record Options(String host, int port, String user, boolean https, boolean verbose, boolean switchover,
                           boolean gracefully, String mode, List<String> words) {
    }

    private static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** A failure with the exit code it maps to. */
    private static final class CommandException extends Exception {
        final int code;

        CommandException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    int run(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            err.println("vxpoolctl: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (o.words().isEmpty() || o.words().get(0).equals("help")) {
            out.println(USAGE_TEXT);
            return o.words().isEmpty() ? USAGE : OK;
        }
        try {
            return command(o);
        } catch (UsageException e) {
            err.println("vxpoolctl: " + e.getMessage());
            return USAGE;
        } catch (CommandException e) {
            err.println("ERROR: " + e.getMessage());
            return e.code;
        }
    }

    private Options parse(String[] args) throws UsageException {
        String host = "localhost";
        int port = 9899;
        String user = env.getOrDefault("USER", "postgres");
        boolean https = false, verbose = false, switchover = false, gracefully = false;
        String mode = "smart";
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--host" -> host = value(args, ++i, a);
                case "-p", "--port" -> port = number(value(args, ++i, a), "port");
                case "-U", "--username" -> user = value(args, ++i, a);
                case "-m", "--mode" -> mode = value(args, ++i, a);
                case "-v", "--verbose" -> verbose = true;
                case "-s", "--switchover" -> switchover = true;
                case "-g", "--gracefully" -> gracefully = true;
                case "--https" -> https = true;
                case "--help", "-?" -> words.add(0, "help");
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    words.add(a);
                }
            }
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("port must be 1..65535: " + port);
        }
        checkHost(host);
        if (gracefully && (words.isEmpty() || !words.get(0).equals("detach") && !words.get(0).equals("promote"))) {
            throw new UsageException("-g only applies to detach and promote");
        }
        return new Options(host, port, user, https, verbose, switchover, gracefully, mode, words);
    }

    /** The HTTP client refuses such a host only when sending, with an IllegalArgumentException. */
    private static void checkHost(String host) throws UsageException {
        try {
            if (URI.create("http://" + hostForUri(host) + ":1/").getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("invalid host name: " + host);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String s, String what) throws UsageException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a number: " + s);
        }
    }

    private int command(Options o) throws UsageException, CommandException {
        String verb = o.words().get(0);
        List<String> rest = o.words().subList(1, o.words().size());
        switch (verb) {
            case "node-count" -> out.println(nodes(o).size());
            case "node-info" -> nodeInfo(o, rest);
            case "attach", "detach", "recover", "promote" -> nodeCommand(o, verb, node(rest, verb));
            case "watchdog-info" -> {
                JsonObject w = get(o, "/api/v1/watchdog").asObject();
                out.print(o.verbose() ? PcpFormat.watchdogVerbose(w) : PcpFormat.watchdog(w));
            }
            case "stop" -> {
                if (!o.mode().equals("smart") && !o.mode().equals("fast") && !o.mode().equals("s") && !o.mode().equals("f")) {
                    throw new UsageException("-m must be smart or fast");
                }
                post(o, "/api/v1/pool/stop");
                out.println("vxpoolctl stop -- Command Successful");
            }
            case "start" -> {
                post(o, "/api/v1/pool/start");
                out.println("vxpoolctl start -- Command Successful");
            }
            case "reload" -> {
                JsonObject r = post(o, "/api/v1/reload").asObject();
                out.println("vxpoolctl reload -- Command Successful");
                JsonArray changed = r.getJsonArray("changed", new JsonArray());
                out.println(changed.isEmpty() ? "nothing changed" : "changed: " + String.join(", ", changed.getList()));
            }
            default -> throw new UsageException("unknown command " + verb);
        }
        return OK;
    }

    private void nodeInfo(Options o, List<String> rest) throws CommandException, UsageException {
        List<JsonObject> shown;
        if (rest.isEmpty()) {
            shown = nodes(o);
        } else {
            shown = List.of(get(o, "/api/v1/nodes/" + number(rest.get(0), "node id")).asObject());
        }
        for (JsonObject n : shown) {
            out.println(o.verbose() ? PcpFormat.nodeVerbose(n) : PcpFormat.nodeLine(n));
        }
    }

    private List<JsonObject> nodes(Options o) throws CommandException {
        return get(o, "/api/v1/nodes").asArray().stream().map(JsonObject.class::cast).toList();
    }

    private static int node(List<String> rest, String verb) throws UsageException {
        if (rest.size() != 1) {
            throw new UsageException(verb + " needs one node id");
        }
        return number(rest.get(0), "node id");
    }

    private void nodeCommand(Options o, String verb, int id) throws CommandException {
        String action = verb.equals("recover") ? "recovery" : verb;
        List<String> params = new ArrayList<>();
        if (verb.equals("promote") && o.switchover()) {
            params.add("switchover=true");
        }
        if (o.gracefully()) {
            params.add("gracefully=true");
        }
        String query = params.isEmpty() ? "" : "?" + String.join("&", params);
        // a graceful detach waits up to recovery_timeout (0: no bound), which the Active node enforces
        JsonObject reply = send(o, "POST", "/api/v1/nodes/" + id + "/" + action + query,
                o.gracefully() ? Duration.ofDays(1) : REQUEST_TIMEOUT).asObject();
        out.println("vxpoolctl " + verb + " -- Command Successful");
        String message = reply.getString("message", "");
        if (!message.isEmpty()) {
            out.println(message);
        }
    }

    private record Reply(String text) {
        JsonObject asObject() throws CommandException {
            try {
                return new JsonObject(text);
            } catch (DecodeException e) {
                throw new CommandException(FAILED, "unexpected answer: " + text);
            }
        }

        JsonArray asArray() throws CommandException {
            try {
                return new JsonArray(text);
            } catch (DecodeException e) {
                throw new CommandException(FAILED, "unexpected answer: " + text);
            }
        }
    }

    private Reply get(Options o, String path) throws CommandException {
        return send(o, "GET", path);
    }

    private Reply post(Options o, String path) throws CommandException {
        return send(o, "POST", path);
    }

    private Reply send(Options o, String method, String path) throws CommandException {
        return send(o, method, path, REQUEST_TIMEOUT);
    }

    private Reply send(Options o, String method, String path, Duration timeout) throws CommandException {
        URI uri = URI.create((o.https() ? "https" : "http") + "://" + hostForUri(o.host()) + ":" + o.port() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        password(o).ifPresent(pw -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((o.user() + ":" + pw).getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CommandException(UNREACHABLE, "connection to " + o.host() + ":" + o.port() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(UNREACHABLE, "interrupted");
        }
        if (response.statusCode() == 401) {
            throw new CommandException(AUTH, "authentication failed for user \"" + o.user() + "\"");
        }
        if (response.statusCode() >= 300) {
            String message;
            try {
                message = new JsonObject(response.body()).getString("error", response.body());
            } catch (DecodeException e) {
                message = "HTTP " + response.statusCode() + " " + response.body();
            }
            throw new CommandException(FAILED, message);
        }
        return new Reply(response.body());
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private Optional<String> password(Options o) {
        String fromEnv = env.get("VXPOOL_PASSWORD");
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String file = env.getOrDefault("VXPOOLPASSFILE", Path.of(home, ".vxpoolpass").toString());
        return PassFile.lookup(Path.of(file), o.host(), o.port(), o.user());
    }
}
