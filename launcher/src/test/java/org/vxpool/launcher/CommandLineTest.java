package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void noArgumentsStartWithPgpoolsDefaultConfig() throws Exception {
        CommandLine cli = CommandLine.parse();
        assertThat(cli.verb()).isEqualTo(CommandLine.Verb.START);
        assertThat(cli.configFile()).isEqualTo(Path.of("/etc/vxpool/pgpool.conf"));
        assertThat(cli.hbaFile()).isEmpty();
        assertThat(cli.discardStatus()).isFalse();
    }

    @Test
    void startOptionsAsTheTutorialWritesThem() throws Exception {
        CommandLine cli = CommandLine.parse("-f", "conf/osspc19.conf", "-a", "conf/pool_hba.conf", "-n", "-D");
        assertThat(cli.verb()).isEqualTo(CommandLine.Verb.START);
        assertThat(cli.configFile()).isEqualTo(Path.of("conf/osspc19.conf"));
        assertThat(cli.hbaFile()).contains(Path.of("conf/pool_hba.conf"));
        assertThat(cli.discardStatus()).isTrue();
        assertThat(cli.keyFile()).isEmpty();
    }

    @Test
    void keyFileAsPgpoolsDashK() throws Exception {
        assertThat(CommandLine.parse("-k", "/etc/pgpool-II/.pgpoolkey").keyFile())
                .contains(Path.of("/etc/pgpool-II/.pgpoolkey"));
        assertThat(CommandLine.parse("-nkkey").keyFile()).contains(Path.of("key"));
        assertThat(CommandLine.parse("--key-file=/k").keyFile()).contains(Path.of("/k"));
    }

    @Test
    void groupedAndAttachedShortOptionsAsGetoptAllows() throws Exception {
        CommandLine cli = CommandLine.parse("-nDfmy.conf");
        assertThat(cli.discardStatus()).isTrue();
        assertThat(cli.configFile()).isEqualTo(Path.of("my.conf"));
    }

    @Test
    void longOptions() throws Exception {
        CommandLine cli = CommandLine.parse("--config-file=a.conf", "--hba-file", "hba", "--discard-status",
                "--no-daemon");
        assertThat(cli.configFile()).isEqualTo(Path.of("a.conf"));
        assertThat(cli.hbaFile()).contains(Path.of("hba"));
        assertThat(cli.discardStatus()).isTrue();
    }

    @Test
    void stopDefaultsToSmartAndTakesModeBeforeOrAfterTheVerb() throws Exception {
        assertThat(CommandLine.parse("-f", "x.conf", "stop").mode()).isEqualTo(ShutdownMode.SMART);
        CommandLine fast = CommandLine.parse("-m", "fast", "stop");
        assertThat(fast.verb()).isEqualTo(CommandLine.Verb.STOP);
        assertThat(fast.mode()).isEqualTo(ShutdownMode.FAST);
        assertThat(CommandLine.parse("stop", "-m", "i").mode()).isEqualTo(ShutdownMode.IMMEDIATE);
        assertThat(CommandLine.parse("--mode=smart", "stop").mode()).isEqualTo(ShutdownMode.SMART);
    }

    @Test
    void modesMapToPgpoolSignalsWhereTheJvmAllows() {
        assertThat(ShutdownMode.SMART.signals()).containsExactly("TERM");
        assertThat(ShutdownMode.FAST.signals()).containsExactly("INT", "ALRM");
        assertThat(ShutdownMode.IMMEDIATE.signals()).containsExactly("USR1");
        // stop must use signals a background job cannot have inherited as ignored.
        assertThat(ShutdownMode.FAST.stopSignal()).isEqualTo("ALRM");
        assertThat(ShutdownMode.SMART.stopSignal()).isEqualTo("TERM");
    }

    @Test
    void helpWinsOverEverythingElse() throws Exception {
        assertThat(CommandLine.parse("--help").verb()).isEqualTo(CommandLine.Verb.HELP);
        assertThat(CommandLine.parse("-h", "stop").verb()).isEqualTo(CommandLine.Verb.HELP);
        assertThat(CommandLine.parse("release-ip", "--help").verb()).isEqualTo(CommandLine.Verb.HELP);
    }

    @Test
    void releaseIpTakesTheConfigFile() throws Exception {
        CommandLine cli = CommandLine.parse("-f", "/etc/x.conf", "release-ip");
        assertThat(cli.verb()).isEqualTo(CommandLine.Verb.RELEASE_IP);
        assertThat(cli.configFile()).isEqualTo(java.nio.file.Path.of("/etc/x.conf"));
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        assertThatThrownBy(() -> CommandLine.parse("-x")).hasMessage("unknown option -x");
        assertThatThrownBy(() -> CommandLine.parse("--frobnicate")).hasMessage("unknown option --frobnicate");
        assertThatThrownBy(() -> CommandLine.parse("-f")).hasMessage("option -f needs a value");
        assertThatThrownBy(() -> CommandLine.parse("-m", "slow", "stop"))
                .hasMessage("invalid shutdown mode \"slow\"; allowed: smart, fast, immediate");
        assertThatThrownBy(() -> CommandLine.parse("-m", "fast")).hasMessage("-m is only meaningful with stop");
        assertThatThrownBy(() -> CommandLine.parse("start"))
                .hasMessage("unknown command \"start\"; the commands are stop and release-ip");
        assertThatThrownBy(() -> CommandLine.parse("-m", "fast", "release-ip")).hasMessage("-m is only meaningful with stop");
        assertThatThrownBy(() -> CommandLine.parse("stop", "stop")).hasMessage("unexpected argument \"stop\"");
        assertThatThrownBy(() -> CommandLine.parse("--no-daemon=yes"))
                .hasMessage("option --no-daemon takes no value");
    }
}
