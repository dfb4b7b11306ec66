package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Hot Rod client keeps working while the topology names a server it cannot reach. Guards against
 * Infinispan issue 18003 (client 16.0.x to 16.2.x): the client connects to a newly named server
 * while holding its topology lock, and a connect future that has already failed when it returns
 * runs the failure handler there, which waits for the same lock forever. Every later operation of
 * that client then waits too.
 *
 * <p>The node listens on 127.0.0.1 but names itself to clients by a host whose resolution fails at
 * once (a label longer than DNS allows: the resolver rejects it without asking anyone), as a cached
 * negative answer would. The client is given that node's real address, gets the topology with its
 * first answer, and connects to the named host. It runs one event loop, so that connection is
 * registered on the thread holding the lock: without Eddy's workaround (Storage's transport
 * factory) the first operation wedges the client every time. (With more loops it wedges on some
 * topology updates, not all; a refused loopback connect wedges it only when another loop fails it
 * in the instant between the client's two looks at the future.) With the workaround the client
 * gives up on the named host and keeps to the address it was given.
 */
class TopologyNamingUnreachableServerTest {
    private static final String UNRESOLVABLE = "x".repeat(64) + ".invalid";
    /** Far longer than any answer takes on a healthy cluster: an operation not done by then never will be. */
    private static final long WEDGED_AFTER_SECONDS = 30;

    private EmbeddedInfinispan node;
    private final ExecutorService caller = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wedge-probe");
        t.setDaemon(true); // a wedged client must not keep the test JVM alive
        return t;
    });
    private Storage storage;

    @Test
    void operationsCompleteWhileTheTopologyNamesAServerThatCannotBeResolved() throws Exception {
        // A cluster of one: a server sends clients a topology only once every member's endpoint is known,
        // and these nodes each keep their endpoint under their own server name.
        int clusterPort = InfinispanCluster.freePort();
        node = EmbeddedInfinispan.start(new EmbeddedInfinispan.Options(Files.createTempDirectory("eddy-unreachable-server"),
                0, clusterPort, List.of(clusterPort), 1, "node0").advertisedAs(UNRESOLVABLE));
        String servers = node.hotRodAddress();
        storage = withOneEventLoop(() -> new Storage(new StorageConfig(servers, EmbeddedInfinispan.TABLE_TEMPLATE, 0,
                StorageConfig.DEFAULT_PAGE_BYTES)));

        String cache = Storage.PREFIX + "unreachable-server";
        within("creating a cache", () -> {
            storage.createCache(cache);
            return null;
        });
        Entries entries = storage.strong(cache);
        for (int i = 0; i < 20; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = ("value-" + i).getBytes(StandardCharsets.UTF_8);
            within("writing " + i, () -> {
                entries.put(key, value);
                return null;
            });
            assertArrayEquals(value, within("reading " + i, () -> entries.get(key)));
        }
    }

    /** The Hot Rod client sizes its event loops from this property when it is built. */
    private static <T> T withOneEventLoop(Callable<T> build) throws Exception {
        String before = System.getProperty("io.netty.eventLoopThreads");
        System.setProperty("io.netty.eventLoopThreads", "1");
        try {
            return build.call();
        } finally {
            if (before == null) {
                System.clearProperty("io.netty.eventLoopThreads");
            } else {
                System.setProperty("io.netty.eventLoopThreads", before);
            }
        }
    }

    private <T> T within(String what, Callable<T> operation) throws Exception {
        try {
            return caller.submit(operation).get(WEDGED_AFTER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail(what + " did not complete in " + WEDGED_AFTER_SECONDS + " s on a healthy cluster: the Hot Rod client is wedged");
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (storage != null) {
            // A wedged client never stops: give up on it rather than hang the build.
            var closing = caller.submit(storage::close);
            try {
                closing.get(WEDGED_AFTER_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                closing.cancel(true);
            }
        }
        caller.shutdownNow();
        if (node != null) {
            node.close();
        }
    }
}
