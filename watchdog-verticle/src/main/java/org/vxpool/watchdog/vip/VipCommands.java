package org.vxpool.watchdog.vip;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns pgpool's delegate-IP settings into the commands vxpool runs.
 *
 * <ul>
 *   <li>4.x: a command whose program is not an absolute path gets {@code if_cmd_path} (or
 *       {@code arping_path}) in front of it, as pgpool does.</li>
 *   <li>3.2: {@code ifconfig <dev>:<n> inet $_IP_$ netmask <mask>} and {@code ifconfig <dev>:<n> down}
 *       become the equivalent {@code ip addr add/del} (ifconfig is gone from current
 *       distributions), and an arping command without {@code -I} gets the device.</li>
 *   <li>When {@code if_up_cmd} etc. are left at pgpool's defaults, which name {@code eth0}, vxpool
 *       uses the device that holds this node's own watchdog address instead.</li>
 * </ul>
 */
public final class VipCommands {
    public static final String IP_PLACEHOLDER = "$_IP_$";

    private VipCommands() {
    }

    /**
     * Everything pgpool lets an operator set about the delegate IP, as written in pgpool.conf.
     *
     * @param ifUpCmd  null when not set in the file: vxpool then builds the command for {@code device}
     * @param device   the interface for the IP; empty = the one holding {@code selfHost}
     */
    public record Params(String delegateIp, String ifCmdPath, String ifUpCmd, String ifDownCmd, String arpingPath,
            String arpingCmd, String escalationCmd, String deEscalationCmd, String device, int prefixLength,
            String selfHost, Duration timeout) {
    }

    public static VipSettings resolve(Params p) {
        String device = p.device().isBlank() ? deviceFromCommand(p.ifUpCmd())
                .or(() -> deviceHolding(p.selfHost())).orElse("eth0") : p.device();
        String ip = locate(p.ifCmdPath(), "ip");
        String arpingProgram = locate(p.arpingPath(), "arping");
        String up = p.ifUpCmd() == null
                ? ip + " addr add " + IP_PLACEHOLDER + "/" + p.prefixLength() + " dev " + device + " label " + device + ":0"
                : translateIfconfig(withLocatedPath(p.ifCmdPath(), p.ifUpCmd()), ip, p.prefixLength());
        String down = p.ifDownCmd() == null
                ? ip + " addr del " + IP_PLACEHOLDER + "/" + p.prefixLength() + " dev " + device
                : translateIfconfig(withLocatedPath(p.ifCmdPath(), p.ifDownCmd()), ip, p.prefixLength());
        String arping = p.arpingCmd() == null
                ? arpingProgram + " -U " + IP_PLACEHOLDER + " -w 1 -I " + device
                : withInterface(withLocatedPath(p.arpingPath(), p.arpingCmd()), device);
        String probe = sudoPrefix(up) + arpingProgram + " -D -c 1 -w 1 -I " + device + " "
                + IP_PLACEHOLDER;
        return new VipSettings(p.delegateIp() == null ? "" : p.delegateIp().trim(), up, down, arping, probe,
                nullToEmpty(p.escalationCmd()), nullToEmpty(p.deEscalationCmd()), p.timeout());
    }

    /**
     * Puts {@code path} in front of the program when it is not absolute, as pgpool 4.x does. A
     * leading {@code sudo} is kept and the program after it gets the path.
     */
    static String withPath(String path, String command) {
        String trimmed = command.strip();
        if (trimmed.isEmpty() || path == null || path.isBlank()) {
            return trimmed;
        }
        String sudo = sudoPrefix(trimmed);
        String rest = trimmed.substring(sudo.length()).strip();
        if (rest.startsWith("/")) {
            return trimmed;
        }
        return sudo + (path.endsWith("/") ? path : path + "/") + rest;
    }

    /**
     * {@code path/program}, or where the distribution really put it: pgpool's default
     * {@code arping_path} is /usr/sbin, Debian's iputils-arping installs /usr/bin/arping. Only for
     * commands vxpool builds itself; an operator's command line is run as written.
     */
    public static String locate(String path, String program) {
        String configured = withPath(path, program);
        if (Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return configured;
    }

    /**
     * {@link #withPath} for an operator's relative program, looked up with {@link #locate}: the
     * tutorial's {@code arping_path = '/usr/sbin'} would otherwise miss Debian's /usr/bin/arping.
     * Absolute programs are left exactly as written.
     */
    static String withLocatedPath(String path, String command) {
        String trimmed = command.strip();
        String sudo = sudoPrefix(trimmed);
        String rest = trimmed.substring(sudo.length()).strip();
        if (rest.isEmpty() || rest.startsWith("/") || path == null || path.isBlank()) {
            return trimmed;
        }
        String[] programAndArgs = rest.split("\\s+", 2);
        String program = programAndArgs[0].equals("ifconfig") ? withPath(path, "ifconfig")
                : locate(path, programAndArgs[0]);
        return sudo + program + (programAndArgs.length > 1 ? " " + programAndArgs[1] : "");
    }

    /** Rewrites a 3.2 ifconfig line to ip addr; any other command is returned unchanged. */
    static String translateIfconfig(String command, String ipProgram, int prefixLength) {
        List<String> words = new ArrayList<>(Arrays.asList(command.strip().split("\\s+")));
        int at = indexOfProgram(words, "ifconfig");
        if (at < 0) {
            return command;
        }
        String prefix = String.join(" ", words.subList(0, at));
        List<String> args = words.subList(at + 1, words.size());
        if (args.isEmpty()) {
            return command;
        }
        String label = args.get(0);
        String dev = label.contains(":") ? label.substring(0, label.indexOf(':')) : label;
        int bits = prefixLength;
        int netmask = args.indexOf("netmask");
        if (netmask >= 0 && netmask + 1 < args.size()) {
            bits = prefixBits(args.get(netmask + 1)).orElse(prefixLength);
        }
        String ipCommand;
        if (args.contains("down")) {
            ipCommand = ipProgram + " addr del " + IP_PLACEHOLDER + "/" + bits + " dev " + dev;
        } else if (args.contains(IP_PLACEHOLDER)) {
            ipCommand = ipProgram + " addr add " + IP_PLACEHOLDER + "/" + bits + " dev " + dev
                    + (label.contains(":") ? " label " + label : "");
        } else {
            return command;
        }
        return prefix.isEmpty() ? ipCommand : prefix + " " + ipCommand;
    }

    private static int indexOfProgram(List<String> words, String program) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals(program) || w.endsWith("/" + program)) {
                return i;
            }
        }
        return -1;
    }

    static Optional<Integer> prefixBits(String netmask) {
        try {
            byte[] bytes = InetAddress.getByName(netmask).getAddress();
            int bits = 0;
            for (byte b : bytes) {
                bits += Integer.bitCount(b & 0xff);
            }
            return Optional.of(bits);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The {@code dev X} of an ip command, or the device of a 3.2 ifconfig label. */
    static Optional<String> deviceFromCommand(String command) {
        if (command == null) {
            return Optional.empty();
        }
        List<String> words = Arrays.asList(command.strip().split("\\s+"));
        int dev = words.indexOf("dev");
        if (dev >= 0 && dev + 1 < words.size()) {
            return Optional.of(words.get(dev + 1));
        }
        int at = indexOfProgram(words, "ifconfig");
        if (at >= 0 && at + 1 < words.size()) {
            String label = words.get(at + 1);
            return Optional.of(label.contains(":") ? label.substring(0, label.indexOf(':')) : label);
        }
        return Optional.empty();
    }

    static String withInterface(String arpingCommand, String device) {
        return Arrays.asList(arpingCommand.split("\\s+")).contains("-I") ? arpingCommand
                : arpingCommand + " -I " + device;
    }

    /** The "sudo" part of a command line, so the probe runs with the same privileges as if_up_cmd. */
    static String sudoPrefix(String command) {
        List<String> words = Arrays.asList(command.strip().split("\\s+"));
        return !words.isEmpty() && (words.get(0).equals("sudo") || words.get(0).endsWith("/sudo"))
                ? words.get(0) + " " : "";
    }

    private static Optional<String> deviceHolding(String host) {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(InetAddress.getByName(host));
            return Optional.ofNullable(nic).filter(n -> !isLoopback(n)).map(NetworkInterface::getName);
        } catch (UnknownHostException | SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean isLoopback(NetworkInterface nic) {
        try {
            return nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
