package dev.eddy.core.storage;

import dev.eddy.core.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.infinispan.server.core.admin.embeddedserver.EmbeddedServerAdminOperationHandler;
import org.infinispan.server.hotrod.HotRodServer;
import org.infinispan.server.hotrod.configuration.HotRodServerConfigurationBuilder;

/**
 * Two real Infinispan nodes joined over JGroups TCP on loopback, each with its Hot Rod server on a
 * free port, every entry kept on both (distributed, {@code owners = 2}), in memory: what the
 * engine's tests need to see a race between the owners of a key, which {@link TestNode} (one
 * local cache) cannot show.
 */
final class TestCluster implements AutoCloseable {
    private final List<DefaultCacheManager> managers = new ArrayList<>();
    private final List<HotRodServer> servers = new ArrayList<>();
    private final boolean routedByKey;

    /**
     * @param routedByKey whether clients learn which node owns which key (each server advertises the
     *                    port it listens on, under one endpoint name). Without, as the functions tests'
     *                    cluster is set up today (each server named after its node, on a port picked at
     *                    start), the servers send clients no topology: clients keep their initial
     *                    server list and send each request to either node, half the reads to a backup
     *                    owner, as any client does until it has a topology and whenever a failure rules
     *                    the primary out for a retry.
     */
    TestCluster(boolean routedByKey) {
        this.routedByKey = routedByKey;
        try {
            Path root = Files.createTempDirectory("eddy-core-cluster");
            List<Integer> ports = List.of(freePort(), freePort());
            for (int i = 0; i < ports.size(); i++) {
                start(root.resolve("node" + i), "node" + i, ports.get(i), ports);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void start(Path dir, String name, int port, List<Integer> members) throws IOException {
        int hotRodPort = routedByKey ? freePort() : 0;
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.cacheContainer().statistics(false);
        global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
        // Caches are created over Hot Rod, which needs global state; nothing here outlives the test.
        global.globalState().enable().persistentLocation(dir.toString()).sharedPersistentLocation(dir.toString())
                .temporaryLocation(dir.toString()).configurationStorage(org.infinispan.globalstate.ConfigurationStorage.OVERLAY);
        global.transport().clusterName("eddy-core-test").nodeName(name)
                .addProperty(JGroupsTransport.CONFIGURATION_STRING, jgroups(port, members));
        DefaultCacheManager manager = new DefaultCacheManager(global.build(), false);
        managers.add(manager);
        ConfigurationBuilder template = new ConfigurationBuilder();
        template.template(true).clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(2).numSegments(16);
        template.encoding().mediaType("application/octet-stream");
        manager.defineConfiguration(StorageConfig.DEFAULT_TEMPLATE, template.build());
        manager.start();
        HotRodServer server = new HotRodServer();
        HotRodServerConfigurationBuilder endpoint = new HotRodServerConfigurationBuilder().host("127.0.0.1").port(hotRodPort)
                .adminOperationsHandler(new EmbeddedServerAdminOperationHandler());
        if (!routedByKey) {
            // A server's name names its topology cache: named apart, each knows only itself and sends
            // clients no topology (else they would be sent port 0, and fail to connect to it).
            endpoint.name(name);
        }
        server.start(endpoint.build(), manager);
        server.postStart();
        servers.add(server);
    }

    private final java.util.concurrent.atomic.LongAdder reads = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder readsOffPrimary = new java.util.concurrent.atomic.LongAdder();

    /** Counts, from now on, the reads of a cache each node serves, and those it serves for keys it is not the primary owner of. */
    void countReads(String cacheName) {
        for (DefaultCacheManager m : managers) {
            org.infinispan.AdvancedCache<Object, Object> cache = m.getCache(cacheName).getAdvancedCache();
            org.infinispan.factories.ComponentRegistry.componentOf(cache, org.infinispan.interceptors.AsyncInterceptorChain.class)
                    .addInterceptor(new ReadCount(cache), 0);
        }
    }

    /** Reads the nodes served since {@link #countReads}. */
    long reads() {
        return reads.sum();
    }

    /** Reads served by a node that is not the key's primary owner (a backup owner answers from its own copy). */
    long readsOffPrimary() {
        return readsOffPrimary.sum();
    }

    private final class ReadCount extends org.infinispan.interceptors.DDAsyncInterceptor {
        private final org.infinispan.AdvancedCache<Object, Object> cache;

        ReadCount(org.infinispan.AdvancedCache<Object, Object> cache) {
            this.cache = cache;
        }

        @Override
        public Object visitGetCacheEntryCommand(org.infinispan.context.InvocationContext ctx,
                                                org.infinispan.commands.read.GetCacheEntryCommand command) {
            reads.increment();
            if (!cache.getDistributionManager().getCacheTopology().getDistribution(command.getKey()).isPrimary()) {
                readsOffPrimary.increment();
            }
            return invokeNext(ctx, command);
        }
    }

    /** TCP on loopback, members found by a fixed list; failure detection left slow (nothing fails here). */
    private static String jgroups(int port, List<Integer> members) {
        String hosts = members.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
        return """
                <config xmlns="urn:org:jgroups">
                  <TCP bind_addr="127.0.0.1" bind_port="%d" port_range="0" tcp_nodelay="true" diag.enabled="false"
                       thread_pool.min_threads="0" thread_pool.max_threads="50"/>
                  <TCPPING initial_hosts="%s" port_range="0"/>
                  <MERGE3 min_interval="2s" max_interval="5s"/>
                  <FD_ALL3 timeout="10s" interval="2s"/>
                  <VERIFY_SUSPECT2 timeout="1s"/>
                  <pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="200ms"/>
                  <UNICAST3 xmit_interval="200ms"/>
                  <pbcast.STABLE desired_avg_gossip="5s" max_bytes="1M"/>
                  <pbcast.GMS print_local_addr="false" join_timeout="2s"/>
                  <UFC max_credits="4m" min_threshold="0.40"/>
                  <MFC max_credits="4m" min_threshold="0.40"/>
                  <FRAG4 frag_size="60k"/>
                </config>
                """.formatted(port, hosts);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The Hot Rod servers, "host:port;host:port", as {@link StorageConfig#servers()} takes them. */
    String servers() {
        return servers.stream().map(s -> "127.0.0.1:" + s.getPort()).collect(Collectors.joining(";"));
    }

    @Override
    public void close() {
        for (HotRodServer s : servers) {
            s.stop();
        }
        for (DefaultCacheManager m : managers) {
            m.stop();
        }
        servers.clear();
        managers.clear();
    }
}
