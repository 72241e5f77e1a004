package org.vxpool.it.netns;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * What every test on a {@link TutorialNetwork} shares: it runs only where namespaces and arping
 * are available, and whatever happens, the network is torn down (every process, every namespace)
 * after its logs are kept under {@code target/netns-e2e-logs/<test>}.
 */
abstract class NetnsTestBase {
    @TempDir
    Path dir;

    /** The test's network; set it as soon as it is created so that it is always torn down. */
    TutorialNetwork net;

    @BeforeAll
    static void requireLab() {
        NetnsLab.assumeAvailable();
        NetnsLab.assumeProgram("arping");
    }

    @AfterEach
    void tearDown(TestInfo test) {
        if (net != null) {
            net.close(test.getTestMethod().orElseThrow().getName());
        }
    }
}
