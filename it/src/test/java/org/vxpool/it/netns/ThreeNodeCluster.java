package org.vxpool.it.netns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The three-member namespace cluster of the Active-fault tests (issue 11): vxpool on
 * {@link #ACTIVE} (started first, so it leads), on {@link #MEMBER} (where the primary database
 * runs, so the fault is about the watchdog alone) and a witness on the client host. Also the
 * sampler of the delegate IP's holders that every such test runs during its fault.
 */
final class ThreeNodeCluster {
    static final String ACTIVE = "osspc20";
    static final String MEMBER = "osspc19";
    static final String WITNESS = TutorialNetwork.CLIENT_HOST;
    static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(30);

    private ThreeNodeCluster() {
    }

    /** The network with one config per member; nothing started yet. */
    static TutorialNetwork create(Path dir) throws IOException {
        return TutorialNetwork.create(dir, List.of(ACTIVE, MEMBER, WITNESS), Set.of(WITNESS));
    }

    /**
     * Starts the three members, waits for {@link #ACTIVE} to hold the IP and for every member to
     * show the same {@code SHOW pool_nodes} (primary on node 0, standby on node 1).
     */
    static void start(TutorialNetwork net) {
        net.startVxpoolAndWait(ACTIVE);
        net.startVxpool(MEMBER);
        net.startVxpool(WITNESS);
        net.awaitUp(MEMBER);
        net.awaitUp(WITNESS);
        TutorialNetwork.waitFor("the IP on " + ACTIVE, TAKEOVER_TIMEOUT, () -> net.holders().equals(List.of(ACTIVE)));
        net.awaitSamePoolNodes(List.of(ACTIVE, MEMBER, WITNESS), "up/primary", "up/standby");
    }

    /** Who had the IP configured at one instant, in ms since the sampler started. */
    record Sample(long atMs, List<String> holders) {
    }

    /** Reads the IP's holders every ~100 ms on its own thread until closed. */
    static final class HolderSampler implements AutoCloseable {
        private final List<Sample> samples = new ArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Set<String> dead = ConcurrentHashMap.newKeySet();
        private final Thread thread;

        HolderSampler(TutorialNetwork net) {
            long t0 = System.nanoTime();
            thread = new Thread(() -> {
                while (!stop.get()) {
                    List<String> holders = net.holders().stream().filter(h -> !dead.contains(h)).toList();
                    synchronized (samples) {
                        samples.add(new Sample(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), holders));
                    }
                    TutorialNetwork.sleep(100);
                }
            }, "ip-holder-sampler");
            thread.start();
        }

        /**
         * From now on the host does not count: it crashed with its cable pulled, so the address
         * its dead configuration still lists reaches nobody.
         */
        void markDead(String host) {
            dead.add(host);
        }

        List<Sample> samples() {
            synchronized (samples) {
                return List.copyOf(samples);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }

        /** Fails on any sample with two holders (or fewer than {@code min} samples); prints the tally. */
        void assertNeverTwo(String what, int min) {
            List<Sample> copy = samples();
            if (copy.size() < min) {
                throw new AssertionError(what + ": only " + copy.size() + " samples of the IP's holders, expected " + min);
            }
            for (Sample s : copy) {
                if (s.holders().size() > 1) {
                    throw new AssertionError(what + ": two holders at " + s.atMs() + " ms: " + s.holders());
                }
            }
            long without = copy.stream().filter(s -> s.holders().isEmpty()).count();
            System.out.printf("BENCH netns %s: %d samples of the IP's holders, never two, %d with none%n", what,
                    copy.size(), without);
        }
    }
}
