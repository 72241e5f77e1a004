package org.vxpool.testkit;

import java.util.List;

/** Outcome of a finished command: exit code and what it printed. */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** stdout followed by stderr, for messages and for tools that mix both. */
    public String output() {
        return stderr.isEmpty() ? stdout : stdout + stderr;
    }

    /** Returns this result, or throws with the command and its output when the exit code is not 0. */
    public ProcessResult requireOk() {
        if (exitCode != 0) {
            throw new PgFixtureException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
        }
        return this;
    }
}
