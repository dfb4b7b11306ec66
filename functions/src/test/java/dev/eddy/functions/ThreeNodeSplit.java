package dev.eddy.functions;

import dev.eddy.core.StorageConfig;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.infinispan.AdvancedCache;

/**
 * Three nodes in the test's JVM with the deployment's template (DENY_READ_WRITES, merge policy NONE) and one
 * cache of {@code keys} keys, each holding {@code value}; the coordinator is the node a test cuts off
 * ({@code away}), {@code primaryAway} the keys it is the primary owner of. For the partition tests and
 * experiments.
 */
record ThreeNodeSplit(List<EmbeddedInfinispan> nodes, EmbeddedInfinispan away, List<EmbeddedInfinispan> majority,
                      List<Integer> primaryAway, String cacheName) {

    static ThreeNodeSplit start(InfinispanCluster cluster, String cacheName, int keys, byte[] value) {
        cluster.init(Map.of(InfinispanCluster.DENY_WHEN_SPLIT, "true"));
        cluster.startNodes(3);
        List<EmbeddedInfinispan> nodes = List.copyOf(InfinispanCluster.running);
        nodes.get(0).cacheManager().administration().getOrCreateCache(cacheName, StorageConfig.DEFAULT_TEMPLATE);
        for (int k = 0; k < keys; k++) {
            cache(nodes.get(0), cacheName).put(key(k), value);
        }
        EmbeddedInfinispan away = nodes.stream().filter(n -> n.cacheManager().isCoordinator()).findFirst().orElseThrow();
        List<Integer> primaryAway = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            if (cache(away, cacheName).getDistributionManager().getCacheTopology().getDistribution(key(k)).isPrimary()) {
                primaryAway.add(k);
            }
        }
        return new ThreeNodeSplit(nodes, away, nodes.stream().filter(n -> n != away).toList(), primaryAway, cacheName);
    }

    AdvancedCache<byte[], byte[]> cache(EmbeddedInfinispan node) {
        return cache(node, cacheName);
    }

    static AdvancedCache<byte[], byte[]> cache(EmbeddedInfinispan node, String cacheName) {
        return node.cacheManager().<byte[], byte[]>getCache(cacheName).getAdvancedCache();
    }

    static byte[] key(int k) {
        return ("k" + k).getBytes(StandardCharsets.UTF_8);
    }
}
