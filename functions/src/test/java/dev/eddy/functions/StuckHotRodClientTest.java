package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.eddy.core.Meters;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.storage.Storage;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The liveness check's finding of a stuck Hot Rod client ({@link StuckHotRodClient}), against a real
 * Infinispan node: a client whose event loops are all held (no request it sends gets an answer, while
 * the node answers everyone else) is found stuck; a healthy client, and a client whose cluster is away,
 * are not. One node for the three (the last stops it), each with a client of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StuckHotRodClientTest {
    /** Short, so the test takes seconds: the heartbeat beats every second (a third of the lease). */
    private static final long STUCK_AFTER = 3_000;

    private static final InfinispanCluster cluster = new InfinispanCluster();
    private static String servers;
    private Storage storage;
    private Instances instances;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void startNode() {
        servers = cluster.startNodes(1);
    }

    @AfterAll
    static void stopNode() {
        cluster.stop();
    }

    @BeforeEach
    void start() {
        storage = new Storage(new StorageConfig(servers, EmbeddedInfinispan.TABLE_TEMPLATE, 0, StorageConfig.DEFAULT_PAGE_BYTES));
        instances = new Instances(storage, "function", 3_000, new Meters());
    }

    @AfterEach
    void stop() {
        release.countDown();
        instances.close();
        storage.close();
    }

    /** Calls the check as probes would (every 250 ms) for {@code millis}; the first finding, or null. */
    private static String probe(StuckHotRodClient check, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            String found = check.stuck(System.currentTimeMillis());
            if (found != null) {
                return found;
            }
            Thread.sleep(250);
        }
        return null;
    }

    @Test
    @Order(1)
    void aHealthyClientIsNotStuck() throws Exception {
        assertNull(probe(new StuckHotRodClient(storage, instances, STUCK_AFTER), 3 * STUCK_AFTER));
    }

    @Test
    @Order(2)
    void aClientWhoseRequestsGetNoAnswerIsStuck() throws Exception {
        StuckHotRodClient check = new StuckHotRodClient(storage, instances, STUCK_AFTER);
        for (io.netty.channel.EventLoopGroup group : storage.clientEventLoops()) {
            group.forEach(loop -> loop.execute(() -> {
                try {
                    release.await(); // the loop's thread is held: what the client sends or reads waits behind it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        String found = probe(check, 5 * STUCK_AFTER + 2 * StuckHotRodClient.FRESH_TIMEOUT_MILLIS);
        assertNotNull(found, "a client that gets no answer from a cluster that answers others is stuck");
    }

    @Test
    @Order(3) // last: it stops the node
    void aClientWhoseClusterIsAwayIsNotStuck() throws Exception {
        StuckHotRodClient check = new StuckHotRodClient(storage, instances, STUCK_AFTER);
        cluster.stop();
        assertNull(probe(check, 3 * STUCK_AFTER + 2 * StuckHotRodClient.FRESH_TIMEOUT_MILLIS),
                "a cluster that is away is readiness, not liveness: a restart does not help");
    }
}
