package org.vxpool.watchdog.vip;

/**
 * How one external command ended.
 *
 * @param exitCode the process exit status; -1 when it timed out or could not start
 */
public record CommandResult(String command, int exitCode, String output, boolean timedOut) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }
}
