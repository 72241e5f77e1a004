package org.vxpool.testkit.netns;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Several "hosts" on one machine, built from network namespaces, for tests of the delegate IP,
 * gratuitous ARP and host failures. Needs root.
 *
 * <p>Layout (see DESIGN "Testing several hosts on one machine"): a namespace {@code <prefix>-lan}
 * holds a bridge without an address; each host namespace {@code <prefix>-<host>} gets a veth pair
 * created from inside the lan namespace with its far end placed straight into the host namespace.
 * Nothing touches the root namespace, no namespace has a default route, and the interface names
 * ({@code vh0}, {@code vh1}, ...) are checked not to exist in the root namespace, so a command run
 * outside its namespace by mistake fails instead of touching a real interface. The test subnet
 * {@code 10.250.N.0/24} exists only inside the lab.
 *
 * <p>{@link #close()} kills every process the lab started (by pid, and whatever still runs inside
 * its namespaces) and deletes every namespace; a shutdown hook does the same if the JVM exits
 * without closing it.
 */
public final class NetnsLab implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_SECONDS = 30;
    private static final String IP = "ip";

    /** The output and exit status of a command run in the lab. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final String prefix;
    private final int subnet;
    private final Map<String, Integer> hosts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetnsLab(String prefix, int subnet) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.shutdownHook = new Thread(this::teardown, "netns-lab-teardown-" + prefix);
    }

    /**
     * Skips the calling test, with the reason, unless this process is root and can create network
     * namespaces.
     */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(isRoot(), "network-namespace lab needs root (run the tests as root, as CI does)");
        Result list = run(List.of(IP, "netns", "list"));
        Assumptions.assumeTrue(list.ok(), "'ip netns' is unavailable: " + list.output());
        String probe = "vxprobe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        Result add = run(List.of(IP, "netns", "add", probe));
        run(List.of(IP, "netns", "del", probe));
        Assumptions.assumeTrue(add.ok(), "cannot create a network namespace here: " + add.output());
    }

    /** Skips the calling test unless {@code program} is installed (e.g. arping, ping). */
    public static void assumeProgram(String program) {
        Result which = run(List.of("sh", "-c", "command -v " + program));
        Assumptions.assumeTrue(which.ok(), program + " is not installed (bin/install-deps installs iputils-arping "
                + "and iputils-ping)");
    }

    /** Builds the lab; each host gets the next address from {@code 10.250.N.11}. */
    public static NetnsLab create(String... hostNames) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        NetnsLab lab = new NetnsLab("vx" + Long.toHexString(random.nextLong() & 0xffffffL), random.nextInt(256));
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build(hostNames);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(String... hostNames) {
        String lan = prefix + "-lan";
        addNamespace(lan);
        check(List.of(IP, "-n", lan, "link", "set", "lo", "up"));
        check(List.of(IP, "-n", lan, "link", "add", "br0", "type", "bridge"));
        check(List.of(IP, "-n", lan, "link", "set", "br0", "up"));
        String rootLinks = check(List.of(IP, "-o", "link", "show")).output();
        for (int i = 0; i < hostNames.length; i++) {
            String host = hostNames[i];
            String ns = namespace(host);
            String hostSide = "vh" + i;
            String lanSide = "vl" + i;
            for (String name : List.of(hostSide, lanSide)) {
                if (rootLinks.contains(": " + name + ":") || rootLinks.contains(": " + name + "@")) {
                    throw new NetnsException("interface " + name + " exists in the root namespace; refusing to "
                            + "build a lab whose mistakes could touch it");
                }
            }
            hosts.put(host, i);
            addNamespace(ns);
            check(List.of(IP, "-n", lan, "link", "add", lanSide, "type", "veth", "peer", "name", hostSide, "netns", ns));
            check(List.of(IP, "-n", lan, "link", "set", lanSide, "master", "br0", "up"));
            check(List.of(IP, "-n", ns, "link", "set", "lo", "up"));
            check(List.of(IP, "-n", ns, "addr", "add", addressOf(host) + "/24", "dev", hostSide));
            check(List.of(IP, "-n", ns, "link", "set", hostSide, "up"));
        }
    }

    private void addNamespace(String ns) {
        check(List.of(IP, "netns", "add", ns));
        namespaces.add(ns);
    }

    /** The unique prefix of this lab's namespaces. */
    public String prefix() {
        return prefix;
    }

    public String namespace(String host) {
        return prefix + "-" + host;
    }

    /** The host's interface on the lab LAN (inside its namespace). */
    public String interfaceOf(String host) {
        return "vh" + index(host);
    }

    /** The host's own address on the lab LAN. */
    public String addressOf(String host) {
        return address(11 + index(host));
    }

    /** Another address in the lab subnet, e.g. for a delegate IP ({@code hostPart} 100..250). */
    public String address(int hostPart) {
        return "10.250." + subnet + "." + hostPart;
    }

    public int prefixLength() {
        return 24;
    }

    /** The command line that runs {@code command} inside the host's namespace. */
    public List<String> inHost(String host, String... command) {
        List<String> full = new ArrayList<>(List.of(IP, "netns", "exec", namespace(host)));
        full.addAll(Arrays.asList(command));
        return full;
    }

    /** Runs a command inside the host's namespace and waits for it (at most 30 s). */
    public Result exec(String host, String... command) {
        return run(inHost(host, command));
    }

    /**
     * Starts a long-running process inside the host's namespace, output appended to {@code log}.
     * The lab kills it on close.
     */
    public Process start(String host, Path log, String... command) {
        ProcessBuilder pb = new ProcessBuilder(inHost(host, command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            synchronized (processes) {
                processes.add(p);
            }
            return p;
        } catch (IOException e) {
            throw new NetnsException("cannot start " + pb.command() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A whole-host failure: pulls the host's cable, then SIGKILLs every process running in its
     * namespace (all of them were started by this lab's tests). The namespace and its addresses
     * stay, as a dead machine's configuration would.
     */
    public void crashHost(String host) {
        linkDown(host);
        killAllIn(namespace(host));
    }

    private static void killAllIn(String ns) {
        for (String pid : run(List.of(IP, "netns", "pids", ns)).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Pulls the host's network cable. */
    public void linkDown(String host) {
        check(List.of(IP, "-n", namespace(host), "link", "set", interfaceOf(host), "down"));
    }

    public void linkUp(String host) {
        check(List.of(IP, "-n", namespace(host), "link", "set", interfaceOf(host), "up"));
    }

    /** Whether {@code ip} is configured on any interface inside the host's namespace. */
    public boolean hasAddress(String host, String ip) {
        String out = check(List.of(IP, "-n", namespace(host), "-o", "addr", "show")).output();
        return out.contains(" " + ip + "/");
    }

    /** The MAC address of the host's LAN interface. */
    public String macOf(String host) {
        String out = check(List.of(IP, "-n", namespace(host), "-o", "link", "show", interfaceOf(host))).output();
        int at = out.indexOf("link/ether ");
        if (at < 0) {
            throw new NetnsException("no MAC address in: " + out);
        }
        return out.substring(at + "link/ether ".length()).split("\\s+")[0];
    }

    private int index(String host) {
        Integer i = hosts.get(host);
        if (i == null) {
            throw new NetnsException("no host " + host + " in this lab (hosts: " + hosts.keySet() + ")");
        }
        return i;
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook has run or will run teardown again, harmlessly.
        }
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : processes) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (String ns : namespaces) {
            // Anything still running inside our own namespaces was started by this lab's tests.
            killAllIn(ns);
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            run(List.of(IP, "netns", "del", namespaces.get(i)));
        }
    }

    private static boolean isRoot() {
        Result id = run(List.of("id", "-u"));
        return id.ok() && id.output().strip().equals("0");
    }

    private static Result check(List<String> command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new NetnsException(String.join(" ", command) + " failed with exit status " + r.exitCode() + ": "
                    + r.output());
        }
        return r;
    }

    static Result run(List<String> command) {
        Path out = null;
        try {
            // Output goes to a file so that a hung command cannot hold us past the timeout.
            out = Files.createTempFile("netns-lab", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(command, -1, "timed out after " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(command, -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, -1, "interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
