package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.buffer.Buffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.it.RawClient;
import org.vxpool.proxy.protocol.Bind;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.Execute;
import org.vxpool.proxy.protocol.Parse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.proxy.protocol.Sync;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * The balancing relay borrows Netty's read buffers: frames are slices of a buffer that goes back
 * to the pool when the read is decoded. The units that outlive the read must keep their bytes:
 * a unit waiting for another backend's answer, a read kept to run again on the primary when its
 * standby dies, a batch whose Sync comes in a later read, and a batch that waits and then needs a
 * hidden Parse. Each is sent here in one client write (so its frames share one read buffer) while
 * other clients keep the same event loop's buffers busy: a unit that lost its bytes would send
 * another read's bytes or fail. Netty's paranoid leak detector runs throughout, and no LEAK may be
 * reported, so a buffer kept and never released fails the test too; but it sees the event loops'
 * read buffers only when the JVM starts with it ({@code -DargLine=-Dio.netty.leakDetection.level=paranoid},
 * measured: switched on here, it reported a leak made on the test thread and none of the proxy's).
 */
class BorrowedReadsTest {
    private static final String SLOW_WRITE = "DO $$BEGIN PERFORM pg_sleep(0.3); END$$";
    private static final String READ_LOCKED = "select inet_server_port(), (select count(*) from borrowed_reads)";

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    private static final Logger LEAKS = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private static final ListAppender<ILoggingEvent> LEAK_LINES = new ListAppender<>();
    private static ResourceLeakDetector.Level previousLevel;
    private static ProxyFixture proxy;
    private static int primaryPort;
    private static int standbyPort;

    private final AtomicBoolean stopNoise = new AtomicBoolean();
    private final List<CompletableFuture<Void>> noise = new ArrayList<>();

    @BeforeAll
    static void start() {
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        LEAK_LINES.start();
        LEAKS.addAppender(LEAK_LINES);
        detectorReportsLeaks();
        PgCluster c = PG.cluster();
        primaryPort = c.primary().port();
        standbyPort = c.standbys().get(0).port();
        // every read goes to the standby
        proxy = LbFixture.start(LbFixture.view(c, 0, 1), RoutingSettings.defaults());
    }

    /** The check below fails only if a leak is reported: one made on purpose must be. */
    private static void detectorReportsLeaks() {
        io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(64).retainedSlice().release();
        for (int i = 0; i < 20 && LEAK_LINES.list.isEmpty(); i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(64).release();
        }
        assertThat(LEAK_LINES.list).as("a leak made on purpose is reported").isNotEmpty();
        LEAK_LINES.list.clear();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        LEAKS.detachAppender(LEAK_LINES);
        ResourceLeakDetector.setLevel(previousLevel);
    }

    /** Other sessions on the same event loop: their reads reuse any buffer a unit let go too early. */
    @BeforeEach
    void startNoise() {
        for (String mode : List.of("simple", "extended")) {
            noise.add(CompletableFuture.runAsync(() -> {
                try (Connection c = LbFixture.connect(proxy, "?preferQueryMode=" + mode);
                     Statement st = c.createStatement()) {
                    while (!stopNoise.get()) {
                        try (ResultSet rs = st.executeQuery("select repeat('x', 300), inet_server_port()")) {
                            rs.next();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
    }

    @AfterEach
    void noLeak() throws Exception {
        stopNoise.set(true);
        for (CompletableFuture<Void> f : noise) {
            f.get(30, TimeUnit.SECONDS);
        }
        // a leaked buffer is reported when it was collected and the detector tracks a new one
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            try (Connection c = LbFixture.connect(proxy, ""); Statement st = c.createStatement()) {
                for (int q = 0; q < 20; q++) {
                    st.execute("select " + q);
                }
            }
        }
        assertThat(LEAK_LINES.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("LEAK"));
    }

    @Test
    void unitsWaitingForThePrimaryKeepTheirBytes() throws Exception {
        try (RawClient c = login()) {
            c.send(join(new Query(SLOW_WRITE).encode(),
                    new Query("select inet_server_port(), 'simple'").encode(),
                    new Parse("", "select inet_server_port(), 'extended'", List.of()).encode(), bind(""),
                    new Execute("", 0).encode(), Sync.encode(),
                    new Query("select 'last'").encode()));
            assertThat(transcript(c, 4)).containsExactly(
                    "C DO", "Z",
                    "T", "D " + standbyPort + ",simple", "C SELECT 1", "Z",
                    "1", "2", "D " + standbyPort + ",extended", "C SELECT 1", "Z",
                    "T", "D last", "C SELECT 1", "Z");
        }
    }

    @Test
    void aBatchWhoseSyncComesInALaterReadKeepsItsFrames() throws Exception {
        try (RawClient c = login()) {
            c.send(join(new Parse("", "select inet_server_port(), 'split'", List.of()).encode(), bind(""),
                    new Execute("", 0).encode()));
            // the first read has long gone back to the pool when the Sync arrives
            Thread.sleep(300);
            c.send(Sync.encode());
            assertThat(transcript(c, 1)).containsExactly("1", "2", "D " + standbyPort + ",split", "C SELECT 1", "Z");
        }
    }

    @Test
    void aWaitingBatchGetsItsHiddenParseOnTheStandby() throws Exception {
        try (RawClient c = login()) {
            // s1 is prepared on the primary only: a transaction runs there
            c.send(join(new Query("BEGIN").encode(),
                    new Parse("s1", "select inet_server_port(), 'named'", List.of()).encode(), Sync.encode(),
                    new Query("COMMIT").encode()));
            assertThat(transcript(c, 3)).containsExactly("C BEGIN", "Z", "1", "Z", "C COMMIT", "Z");
            c.send(join(new Query(SLOW_WRITE).encode(), bind("s1"), new Execute("", 0).encode(), Sync.encode()));
            assertThat(transcript(c, 2)).containsExactly(
                    "C DO", "Z", "2", "D " + standbyPort + ",named", "C SELECT 1", "Z");
        }
    }

    @Test
    void aReadWhoseStandbyDiesRunsAgainOnThePrimaryWithItsOwnBytes() throws Exception {
        PG.cluster().primary().execute("create table if not exists borrowed_reads (x int)");
        PG.cluster().standbys().get(0).waitForReplay(PG.cluster().primary());
        try (RawClient c = login()) {
            // the standby connection exists and is idle, so the next read is sent alone and kept
            c.send(new Query("select 1").encode());
            assertThat(transcript(c, 1)).containsExactly("T", "D 1", "C SELECT 1", "Z");
            lockedRead(c, new Query(READ_LOCKED + ", 'again'").encode(), "'again'");
            assertThat(transcript(c, 1)).containsExactly("T", "D " + primaryPort + ",0,again", "C SELECT 1", "Z");

            c.send(new Query("select 2").encode());
            assertThat(transcript(c, 1)).containsExactly("T", "D 2", "C SELECT 1", "Z");
            lockedRead(c, join(new Parse("", READ_LOCKED + ", 'batch again'", List.of()).encode(),
                    bind(""), new Execute("", 0).encode(), Sync.encode()), "'batch again'");
            assertThat(transcript(c, 1)).containsExactly("1", "2", "D " + primaryPort + ",0,batch again", "C SELECT 1", "Z");
        }
    }

    /**
     * Sends {@code read} so that it waits on the standby before answering anything (a transaction on
     * the primary locks the table, and the standby replays the lock), ends that standby backend
     * (FATAL, then close, as a crash or shutdown would) and lets the primary run the read again.
     */
    private static void lockedRead(RawClient c, Buffer read, String marker) throws Exception {
        PgNode standby = PG.cluster().standbys().get(0);
        String locked = "select count(*) from pg_locks where relation = 'borrowed_reads'::regclass"
                + " and mode = 'AccessExclusiveLock'";
        // the standby may not have replayed the end of the last call's lock yet
        awaitValue(standby, locked, "0");
        try (Connection lock = PG.cluster().primary().connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("lock table borrowed_reads in access exclusive mode");
            awaitValue(standby, locked, "1");
            c.send(read);
            awaitValue(standby, "select count(pg_terminate_backend(pid)) from pg_stat_activity where state = 'active'"
                    + " and query like '%" + marker.replace("'", "''") + "%' and pid <> pg_backend_pid()", "1");
            lock.rollback();
        }
    }

    private static void awaitValue(PgNode node, String sql, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!expected.equals(node.queryValue(sql))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + node.id() + " never answered " + expected + " to " + sql);
            }
            Thread.sleep(20);
        }
    }

    private static RawClient login() throws Exception {
        RawClient c = new RawClient(proxy.port);
        c.startup(LbFixture.USER);
        c.readUntil(PgProtocol.Backend.READY_FOR_QUERY);
        return c;
    }

    private static Buffer bind(String statement) {
        return new Bind("", statement, List.of(), List.of(), List.of()).encode();
    }

    private static Buffer join(Buffer... messages) {
        Buffer all = Buffer.buffer();
        for (Buffer m : messages) {
            all.appendBuffer(m);
        }
        return all;
    }

    /** The messages up to the {@code readies}-th ReadyForQuery, one short line each. */
    private static List<String> transcript(RawClient c, int readies) throws Exception {
        List<String> lines = new ArrayList<>();
        while (readies > 0) {
            Buffer m = c.readMessage();
            char type = (char) m.getByte(0);
            switch (type) {
                case 'C' -> lines.add("C " + m.getString(5, m.length() - 1));
                case 'D' -> lines.add("D " + columns(m));
                case 'E' -> lines.add("E " + ErrorResponse.decode(m.slice(5, m.length())).message());
                case 'Z' -> {
                    lines.add("Z");
                    readies--;
                }
                default -> lines.add(String.valueOf(type));
            }
        }
        return lines;
    }

    private static String columns(Buffer row) {
        int n = row.getShort(5);
        int at = 7;
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = row.getInt(at);
            at += 4;
            values.add(len < 0 ? "null" : row.getString(at, at + len));
            at += Math.max(len, 0);
        }
        return String.join(",", values);
    }
}
