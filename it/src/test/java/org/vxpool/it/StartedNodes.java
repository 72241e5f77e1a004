package org.vxpool.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vxpool.testkit.Processes;

/** The vxpool JVMs a test started in the background; closing kills whatever still runs. */
final class StartedNodes implements AutoCloseable {

    private final List<Processes.Spawned> started = new ArrayList<>();

    /** {@code Main -f <node's config> [OPTIONS]}, output in the node's directory. */
    Processes.Spawned start(NodeFiles node, String... options) {
        return start(node, Map.of(), options);
    }

    /** The same with {@code env} added to the JVM's environment (which the commands it runs inherit). */
    Processes.Spawned start(NodeFiles node, Map<String, String> env, String... options) {
        List<String> args = new ArrayList<>(List.of("-f", node.config().toString()));
        args.addAll(List.of(options));
        Processes.Command command = VxpoolProcess.launcher(args.toArray(String[]::new));
        env.forEach(command::env);
        Processes.Spawned process = command.start(node.dir().resolve("output.txt"));
        started.add(process);
        return process;
    }

    @Override
    public void close() {
        started.forEach(Processes.Spawned::close);
    }
}
