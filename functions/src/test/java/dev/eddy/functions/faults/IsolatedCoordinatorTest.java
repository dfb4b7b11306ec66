package dev.eddy.functions.faults;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.infinispan.Cache;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.AvailabilityException;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.DISCARD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A table cache whose configuration reaches the cluster's coordinator only after another node has
 * started it (a cache Eddy creates through the Hot Rod admin API lands on one node, which starts it
 * and joins the coordinator before the coordinator has defined it) still gets the template's
 * partition handling on the coordinator: cut off from the two others, the coordinator refuses
 * writes rather than keeping the cache writable on its own. Three Infinispan nodes in this JVM with
 * the server configuration of k8s/20-; JGroups' DISCARD cuts the coordinator off, as in the fault
 * suite's scenario 6.
 */
class IsolatedCoordinatorTest {
    private static final String CACHE = "eddy.t.created-elsewhere";
    private final List<DefaultCacheManager> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
    }

    @Test
    void aCoordinatorCutOffRefusesWritesToATableCacheItMetBeforeItsConfiguration() throws Exception {
        ConfigurationBuilderHolder server = new ParserRegistry().parse(
                InfinispanServer.serverConfiguration(FaultCluster.templateConfigMap()), MediaType.APPLICATION_YAML);
        List<Integer> ports = List.of(FaultCluster.freePortWithCompanion(), FaultCluster.freePortWithCompanion(),
                FaultCluster.freePortWithCompanion());
        for (int i = 0; i < 3; i++) {
            nodes.add(node("node" + (i + 1), ports.get(i), ports, server)); // the first started is the coordinator
            await(() -> nodes.get(0).getMembers().size() == nodes.size(), "node" + nodes.size() + " joined");
        }
        DefaultCacheManager coordinator = nodes.get(0);
        assertTrue(coordinator.isCoordinator());

        // Created through node 2: it starts the cache (and joins the coordinator) first, node 3 next;
        // the coordinator defines and starts it last.
        ConfigurationBuilder table = new ConfigurationBuilder().read(server.getNamedConfigurationBuilders()
                .get("eddy-table").build()).template(false);
        for (DefaultCacheManager n : List.of(nodes.get(1), nodes.get(2), coordinator)) {
            n.defineConfiguration(CACHE, table.build());
            n.getCache(CACHE);
        }
        await(() -> coordinator.getCache(CACHE).getAdvancedCache().getDistributionManager().getCacheTopology()
                .getMembers().size() == 3, "every node runs the cache");
        Cache<Object, Object> onCoordinator = coordinator.getCache(CACHE).getAdvancedCache()
                .withMediaType(MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_OCTET_STREAM);
        onCoordinator.put(new byte[] {1}, new byte[] {1});

        discard(coordinator).discardAll(true);
        await(() -> coordinator.getMembers().size() == 1, "the coordinator sees itself alone");
        await(() -> onCoordinator.getAdvancedCache().getAvailability() == AvailabilityMode.DEGRADED_MODE,
                "the coordinator's cache is degraded");
        assertThrows(AvailabilityException.class, () -> onCoordinator.put(new byte[] {1}, new byte[] {2}));
        await(() -> nodes.get(1).getCache(CACHE).getAdvancedCache().getAvailability() == AvailabilityMode.AVAILABLE
                && nodes.get(1).getMembers().size() == 2, "the two others, a majority, go on");
    }

    private static DefaultCacheManager node(String name, int port, List<Integer> ports, ConfigurationBuilderHolder server)
            throws Exception {
        Path data = Files.createTempDirectory("eddy-isolated-coordinator");
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.cacheContainer().statistics(false);
        global.globalState().enable().persistentLocation(data.resolve("state").toString())
                .sharedPersistentLocation(data.resolve("shared").toString())
                .temporaryLocation(data.resolve("tmp").toString());
        global.transport().clusterName("eddy-isolated-coordinator").nodeName(name)
                .addProperty(JGroupsTransport.CONFIGURATION_STRING, dev.eddy.devstack.EmbeddedInfinispan.jgroups(port, ports));
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        server.getNamedConfigurationBuilders().forEach((configuration, builder) ->
                manager.defineConfiguration(configuration, builder.build()));
        manager.start();
        return manager;
    }

    private static DISCARD discard(DefaultCacheManager node) {
        return ((JGroupsTransport) GlobalComponentRegistry.componentOf(node, Transport.class)).getChannel()
                .getProtocolStack().findProtocol(DISCARD.class);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
