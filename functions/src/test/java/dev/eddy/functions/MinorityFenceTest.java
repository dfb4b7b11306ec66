package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.MinorityFence;
import dev.eddy.functions.faults.NetworkPartition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.infinispan.AdvancedCache;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node cut off from the other two whose own failure detection lags behind theirs. Partition handling
 * refuses requests on a node only once it has noticed the split; the fault suite saw the majority take
 * writes while the cut-off node still reported a healthy three-node cluster (its FD_ALL3 had not fired
 * yet), and a strongly consistent read it answered from its own copy was older than an acknowledged
 * write. Here the lag is made certain (the node's FD_ALL3 stops checking), so only {@link MinorityFence}
 * can make the node leave: by the time the two others have left it out and taken writes, it must be
 * degraded and refuse every read, never answer the value from before the split.
 */
class MinorityFenceTest {
    private static final int KEYS = 30;
    private static final String CACHE = "eddy.t.fence";
    private final InfinispanCluster cluster = new InfinispanCluster();

    @AfterEach
    void stop() {
        cluster.stop();
    }

    @Test
    void aCutOffNodeWhoseFailureDetectionLagsRefusesReadsBeforeTheOthersTakeWrites() throws Exception {
        ThreeNodeSplit split = ThreeNodeSplit.start(cluster, CACHE, KEYS, value(0));
        EmbeddedInfinispan away = split.away();
        List<EmbeddedInfinispan> majority = split.majority();
        AdvancedCache<byte[], byte[]> awayCache = cache(away);
        ((FD_ALL3) stack(away).findProtocol(FD_ALL3.class)).stopFailureDetection(); // it would notice the split only by the fence
        NetworkPartition.of(away.cacheManager()).cutOff();

        long cut = System.currentTimeMillis();
        while (majority.stream().anyMatch(n -> n.cacheManager().getMembers().size() != 2)) {
            assertTrue(System.currentTimeMillis() - cut < 30_000, "the two others left the cut-off node out within 30 s");
            Thread.sleep(50);
        }
        // the majority takes writes without it (once its new topology is in, each put goes through)
        AdvancedCache<byte[], byte[]> written = cache(majority.get(0));
        for (int k = 0; k < KEYS; k++) {
            for (int attempt = 0; ; attempt++) {
                try {
                    written.put(key(k), value(1));
                    break;
                } catch (RuntimeException notYet) {
                    assertTrue(attempt < 100, "the majority took the write of key " + k + ": " + notYet);
                    Thread.sleep(100);
                }
            }
        }

        assertEquals(AvailabilityMode.DEGRADED_MODE, awayCache.getAvailability(),
                "the cut-off node is degraded by the time the others have left it out and taken writes");
        List<String> stale = new ArrayList<>();
        int refused = 0;
        for (int k = 0; k < KEYS && stale.isEmpty(); k++) {
            try {
                byte[] read = awayCache.getAsync(key(k)).get(5, TimeUnit.SECONDS);
                stale.add("key " + k + " answered " + new String(read, StandardCharsets.UTF_8) + " after 1 was acknowledged");
            } catch (ExecutionException e) {
                refused++;
            } catch (TimeoutException e) {
                stale.add("key " + k + " neither answered nor refused in 5 s");
            }
        }
        assertEquals(List.of(), stale, "reads on the cut-off node");
        assertEquals(KEYS, refused);
        assertTrue(fence(away).fences() > 0, "the cut-off node's fence raised the suspicion");
        for (EmbeddedInfinispan n : majority) {
            assertEquals(0, fence(n).fences(), "a member of the majority never suspects on the fence's rule");
        }
    }

    private static AdvancedCache<byte[], byte[]> cache(EmbeddedInfinispan node) {
        return ThreeNodeSplit.cache(node, CACHE);
    }

    private static ProtocolStack stack(EmbeddedInfinispan node) {
        return ((JGroupsTransport) GlobalComponentRegistry.componentOf(node.cacheManager(), Transport.class))
                .getChannel().getProtocolStack();
    }

    private static MinorityFence fence(EmbeddedInfinispan node) {
        return (MinorityFence) stack(node).findProtocol(MinorityFence.class);
    }

    private static byte[] key(int k) {
        return ThreeNodeSplit.key(k);
    }

    private static byte[] value(long v) {
        return Long.toString(v).getBytes(StandardCharsets.UTF_8);
    }
}
