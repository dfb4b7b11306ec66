package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.infinispan.client.hotrod.RemoteCache;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.ConfigurationBuilder;
import org.infinispan.commons.marshall.IdentityMarshaller;
import org.junit.jupiter.api.Test;

/**
 * A node that stops while the others go on, and comes back with its file store, serves what the
 * cluster holds, not what its store held when it stopped: keys removed meanwhile stay removed, keys
 * changed meanwhile have their new values (three nodes, owners = 2, the eddy-table template).
 */
class RejoinedNodeStoreTest {

    @Test
    void aRejoinedNodeServesNothingItsStoreHeldFromBefore() throws Exception {
        Path root = Files.createTempDirectory("eddy-rejoin");
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ports.add(InfinispanCluster.freePort());
        }
        EmbeddedInfinispan[] nodes = new EmbeddedInfinispan[3];
        for (int i = 0; i < 3; i++) {
            nodes[i] = EmbeddedInfinispan.start(options(root, ports, i));
        }
        String servers = List.of(nodes).stream().map(EmbeddedInfinispan::hotRodAddress).collect(Collectors.joining(";"));
        RemoteCacheManager rcm = new RemoteCacheManager(new ConfigurationBuilder().addServers(servers)
                .marshaller(IdentityMarshaller.INSTANCE).build());
        try {
            RemoteCache<byte[], byte[]> cache = rcm.administration().getOrCreateCache("rejoin", EmbeddedInfinispan.TABLE_TEMPLATE);
            int keys = 300;
            for (int k = 0; k < keys; k++) {
                cache.put(utf8("k" + k), utf8("before"));
            }
            nodes[2].close();
            for (int k = 0; k < 100; k++) {
                cache.remove(utf8("k" + k));
            }
            for (int k = 100; k < 200; k++) {
                cache.put(utf8("k" + k), utf8("after"));
            }
            nodes[2] = EmbeddedInfinispan.start(options(root, ports, 2));
            Thread.sleep(5_000); // the rebalance onto the returning node
            List<String> wrong = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < keys; k++) {
                    byte[] v = cache.get(utf8("k" + k));
                    String expected = k < 100 ? null : k < 200 ? "after" : "before";
                    String got = v == null ? null : new String(v, StandardCharsets.UTF_8);
                    if (!java.util.Objects.equals(expected, got)) {
                        wrong.add("k" + k + "=" + got);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                var local = nodes[i].cacheManager().getCache("rejoin").getAdvancedCache().withStorageMediaType()
                        .withFlags(org.infinispan.context.Flag.CACHE_MODE_LOCAL);
                for (int k = 0; k < keys; k++) {
                    Object v = local.get(new org.infinispan.commons.marshall.WrappedByteArray(utf8("k" + k)));
                    String got = v == null ? null : new String(v instanceof byte[] b ? b : ((org.infinispan.commons.marshall.WrappedByteArray) v).getBytes(), StandardCharsets.UTF_8);
                    if (got != null && !got.equals(k < 100 ? null : k < 200 ? "after" : "before")) {
                        wrong.add("node" + i + " holds k" + k + "=" + got);
                    }
                }
            }
            assertEquals(List.of(), wrong, "values not the cluster's");
        } finally {
            rcm.close();
            for (EmbeddedInfinispan n : nodes) {
                n.close();
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static EmbeddedInfinispan.Options options(Path root, List<Integer> ports, int i) {
        return new EmbeddedInfinispan.Options(root.resolve("node" + i), 0, ports.get(i), ports, 2, "node" + i);
    }
}
