package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.functions.faults.NetworkPartition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.infinispan.AdvancedCache;
import org.infinispan.context.Flag;
import org.infinispan.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partition that heals before the majority has left the cut-off node out (the fence makes that node
 * leave its view about 2 s into the cut; the others' failure detection takes 4 s): conditional writes
 * through the cut-off primary fail to their writer once it has left, and none of them may appear after
 * the cluster merges. Without {@code MinorityFence} dropping what a node sent to members that left its
 * view, UNICAST3 resends the backup writes after the heal, the majority (still in the old topology)
 * applies them, and 7 and 10 of 22 and 24 keys carried a write its writer was told failed (the fault
 * suite's scenario 6 found one such). 3 nodes in the test's JVM, the deployment's template.
 */
class ShortPartitionTest {
    private static final int KEYS = 60;
    private static final String CACHE = "eddy.t.shortpartition";
    private final InfinispanCluster cluster = new InfinispanCluster();

    @AfterEach
    void stop() {
        cluster.stop();
    }

    @Test
    void aWriteTheCutOffPrimaryFailedDoesNotApplyWhenTheCutHealsBeforeTheOthersNotice() throws Exception {
        byte[] before = "before".getBytes(StandardCharsets.UTF_8);
        byte[] cutOff = "cut-off".getBytes(StandardCharsets.UTF_8);
        ThreeNodeSplit split = ThreeNodeSplit.start(cluster, CACHE, KEYS, before);
        List<EmbeddedInfinispan> nodes = split.nodes();
        EmbeddedInfinispan away = split.away();
        List<EmbeddedInfinispan> majority = split.majority();
        AdvancedCache<byte[], byte[]> awayCache = split.cache(away);
        List<Integer> primaryAway = split.primaryAway();
        NetworkPartition.of(away.cacheManager()).cutOff();
        long cut = System.currentTimeMillis();
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (int k : primaryAway) {
            writes.add(awayCache.replaceAsync(ThreeNodeSplit.key(k), before, cutOff));
        }
        // the cut-off node leaves its view first (the fence); the heal comes just after, before the others notice
        while (away.cacheManager().getMembers().size() != 1) {
            assertTrue(System.currentTimeMillis() - cut < 10_000, "the cut-off node left its view");
            Thread.sleep(20);
        }
        Thread.sleep(200);
        boolean othersStillCountedIt = majority.stream().allMatch(n -> n.cacheManager().getMembers().size() == 3);
        NetworkPartition.of(away.cacheManager()).heal();
        long healedAt = System.currentTimeMillis() - cut;
        List<Integer> answeredTrue = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            try {
                if (writes.get(i).get(30, TimeUnit.SECONDS)) {
                    answeredTrue.add(primaryAway.get(i));
                }
            } catch (Exception failed) {
                // the writer was told it failed
            }
        }
        long healed = System.currentTimeMillis();
        while (!nodes.stream().allMatch(n -> n.cacheManager().getMembers().size() == 3
                && n.cacheManager().getHealth().getClusterHealth().getHealthStatus() == HealthStatus.HEALTHY)) {
            assertTrue(System.currentTimeMillis() - healed < 90_000, "the cluster merged back");
            Thread.sleep(100);
        }
        Thread.sleep(2_000); // a resent backup write lands within the resend interval (200 ms)
        List<Integer> failedButCarried = new ArrayList<>();
        for (int k : primaryAway) {
            for (EmbeddedInfinispan node : nodes) { // each node's own copy
                byte[] held = split.cache(node).withFlags(Flag.CACHE_MODE_LOCAL).get(ThreeNodeSplit.key(k));
                if (Arrays.equals(held, cutOff) && !answeredTrue.contains(k) && !failedButCarried.contains(k)) {
                    failedButCarried.add(k);
                }
            }
        }
        System.out.printf("short partition: %d conditional writes through the cut-off primary, %d answered true; healed "
                        + "%d ms after the cut, the others still counting the cut-off node a member: %s; copies carrying a "
                        + "write its writer was told failed: %d%n",
                primaryAway.size(), answeredTrue.size(), healedAt, othersStillCountedIt, failedButCarried.size());
        assertEquals(List.of(), failedButCarried, "keys whose copies carry a write that failed to its writer");
    }

}
