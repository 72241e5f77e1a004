package org.vxpool.it;

import java.util.ArrayList;
import java.util.List;
import org.vxpool.testkit.Processes;

/** The vxpool JVMs a test started in the background; closing kills whatever still runs. */
final class StartedNodes implements AutoCloseable {

    private final List<Processes.Spawned> started = new ArrayList<>();

    /** {@code Main -f <node's config> [OPTIONS]}, output in the node's directory. */
    Processes.Spawned start(NodeFiles node, String... options) {
        List<String> args = new ArrayList<>(List.of("-f", node.config().toString()));
        args.addAll(List.of(options));
        Processes.Spawned process = VxpoolProcess.launcher(args.toArray(String[]::new))
                .start(node.dir().resolve("output.txt"));
        started.add(process);
        return process;
    }

    @Override
    public void close() {
        started.forEach(Processes.Spawned::close);
    }
}
