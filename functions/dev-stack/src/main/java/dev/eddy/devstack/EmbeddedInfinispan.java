package dev.eddy.devstack;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.globalstate.ConfigurationStorage;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.remoting.transport.jgroups.JGroupsChannelConfigurator;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.infinispan.server.core.admin.embeddedserver.EmbeddedServerAdminOperationHandler;
import org.infinispan.server.hotrod.HotRodServer;
import org.infinispan.server.hotrod.configuration.HotRodServerConfigurationBuilder;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.protocols.DISCARD;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.SocketFactory;

/**
 * A real Infinispan node with its Hot Rod server, in this process: the cache container, global
 * state (so caches created over Hot Rod survive a restart) and the {@code eddy-table} template
 * every table cache is created from, write-through to a soft-index file store when a data folder
 * is given. Standalone it uses local caches; with cluster ports it joins the others over JGroups
 * TCP on loopback and keeps {@code owners} copies of each entry.
 */
public final class EmbeddedInfinispan implements AutoCloseable {
    /** The template name the storage engine creates table caches from. */
    public static final String TABLE_TEMPLATE = "eddy-table";
    /**
     * The same template again under a name that matches every cache Eddy creates: the cluster's
     * coordinator picks a cache's partition handling from the configuration it knows by the cache's
     * name when the first member starts the cache, and a cache created through another member may
     * start there before its configuration reaches the coordinator, which then finds none and lets
     * it serve on both sides of a split. Found by name pattern, the configuration is always there.
     */
    public static final String EVERY_EDDY_CACHE = "eddy.*";
    /** Hash segments of a clustered table cache. */
    static final int SEGMENTS = 16;

    private final DefaultCacheManager cacheManager;
    private final HotRodServer hotRod;
    private final String address;
    private final RemovedCacheFolders folders;

    /**
     * @param dataDir      where state and cache stores live
     * @param hotRodPort   the Hot Rod port on 127.0.0.1 (0 picks a free one)
     * @param clusterPort  this node's JGroups port, or 0 for a standalone node
     * @param clusterPorts every member's JGroups port, for discovery (TCPPING)
     * @param owners       copies of each entry in a cluster
     * @param users        authentication (and TLS) on the Hot Rod endpoint; null: open, as the dev stack is
     * @param denyWhenSplit  the deployment's partition handling (k8s/20-): table caches cut off from the
     *                       majority refuse reads and writes; otherwise Infinispan's default, both sides serve
     * @param advertisedHost the host the node names itself by in the topology Hot Rod clients get; null: 127.0.0.1
     */
    public record Options(Path dataDir, int hotRodPort, int clusterPort, List<Integer> clusterPorts, int owners,
                          String nodeName, HotRodUsers users, boolean denyWhenSplit, String advertisedHost) {
        public Options(Path dataDir, int hotRodPort, int clusterPort, List<Integer> clusterPorts, int owners,
                       String nodeName) {
            this(dataDir, hotRodPort, clusterPort, clusterPorts, owners, nodeName, null, false);
        }

        public Options(Path dataDir, int hotRodPort, int clusterPort, List<Integer> clusterPorts, int owners,
                       String nodeName, HotRodUsers users, boolean denyWhenSplit) {
            this(dataDir, hotRodPort, clusterPort, clusterPorts, owners, nodeName, users, denyWhenSplit, null);
        }

        public static Options standalone(Path dataDir, int hotRodPort) {
            return new Options(dataDir, hotRodPort, 0, List.of(), 1, "eddy");
        }

        /** This node with authentication, and TLS when the users come with a key store. */
        public Options secured(HotRodUsers users) {
            return new Options(dataDir, hotRodPort, clusterPort, clusterPorts, owners, nodeName, users, denyWhenSplit,
                    advertisedHost);
        }

        /**
         * This node with the deployment's partition handling. Not the default: in a cluster of two, as the
         * tests run, losing either node leaves no majority and the other refuses everything.
         */
        public Options denyingReadsAndWritesWhenSplit() {
            return new Options(dataDir, hotRodPort, clusterPort, clusterPorts, owners, nodeName, users, true,
                    advertisedHost);
        }

        /** This node naming itself {@code host} to Hot Rod clients (it still listens on 127.0.0.1). */
        public Options advertisedAs(String host) {
            return new Options(dataDir, hotRodPort, clusterPort, clusterPorts, owners, nodeName, users, denyWhenSplit, host);
        }
    }

    private EmbeddedInfinispan(DefaultCacheManager cacheManager, HotRodServer hotRod, String address,
                               RemovedCacheFolders folders) {
        this.cacheManager = cacheManager;
        this.hotRod = hotRod;
        this.address = address;
        this.folders = folders;
    }

    public static EmbeddedInfinispan start(Options o) {
        boolean clustered = o.clusterPort() > 0;
        GlobalConfigurationBuilder global = clustered ? GlobalConfigurationBuilder.defaultClusteredBuilder()
                : new GlobalConfigurationBuilder().nonClusteredDefault();
        global.cacheContainer().statistics(false);
        // Whoever starts the node stops it (close()), after its clients: Infinispan's own shutdown hook
        // would stop the caches at exit while the application still reads and writes them.
        global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
        global.globalState().enable()
                .persistentLocation(o.dataDir().resolve("state").toString())
                .sharedPersistentLocation(o.dataDir().resolve("shared").toString())
                .temporaryLocation(o.dataDir().resolve("tmp").toString())
                .configurationStorage(ConfigurationStorage.OVERLAY);
        if (clustered) {
            global.transport().clusterName("eddy").nodeName(o.nodeName())
                    .addProperty(JGroupsTransport.CHANNEL_CONFIGURATOR, new LoopbackChannels(o.clusterPort(), o.clusterPorts()));
        }
        global.serialization().allowList().addRegexp(".*");

        ConfigurationBuilder template = new ConfigurationBuilder();
        template.template(true);
        if (clustered) {
            // The soft-index store keeps index files per hash segment: 256 segments (the default)
            // cost about 100 open files per table on each node, 16 cost 19. Tables are many and
            // small here; 16 segments still spread them over a small cluster.
            template.clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(o.owners()).numSegments(SEGMENTS);
            if (o.denyWhenSplit()) {
                // NONE: a node back from a partition drops its copies and takes the majority's (see
                // k8s/20-infinispan-config.yaml; with PREFERRED_ALWAYS it answered its old copies during
                // the merge's conflict resolution)
                template.clustering().partitionHandling().whenSplit(PartitionHandling.DENY_READ_WRITES)
                        .mergePolicy(MergePolicy.NONE);
            }
        } else {
            template.clustering().cacheMode(CacheMode.LOCAL);
        }
        template.encoding().mediaType("application/octet-stream");
        template.statistics().enabled(false);
        // Write-through: a write is in the store before it is acknowledged, so even a killed
        // process keeps it. Each node keeps its own store (not shared) and purges nothing on start;
        // with no location set, each cache's store lives in its own folder under the node's state.
        template.persistence().passivation(false)
                // Standalone, one unsegmented store per table holds 4 files open instead of about 100.
                // (Unsegmented stores in a cluster measured several times slower to create and fill.)
                .addSoftIndexFileStore().segmented(clustered)
                .shared(false).preload(false).purgeOnStartup(false);
        // Caches created before a restart come back from global state, all started before the Hot Rod
        // port opens, so no client meets a cache that is "not ready". Clustered, the node starts through
        // KeptTopology: Infinispan keeps segment ownership only across a graceful stop of the whole
        // cluster, this keeps it across a kill of every node too.
        DefaultCacheManager manager;
        if (clustered) {
            manager = KeptTopology.start(() -> {
                DefaultCacheManager m = new DefaultCacheManager(global.build(), false);
                m.defineConfiguration(TABLE_TEMPLATE, template.build());
                if (o.denyWhenSplit()) {
                    m.defineConfiguration(EVERY_EDDY_CACHE, template.build());
                }
                return m;
            }, o.dataDir().resolve("state")).manager();
        } else {
            manager = new DefaultCacheManager(global.build(), false);
            manager.defineConfiguration(TABLE_TEMPLATE, template.build());
            manager.start();
            for (String name : manager.getCacheNames()) {
                manager.getCache(name);
            }
        }

        RemovedCacheFolders folders = new RemovedCacheFolders(manager, o.dataDir().resolve("state"));
        folders.sweep(); // folders of caches removed while the node was down

        HotRodServerConfigurationBuilder server = new HotRodServerConfigurationBuilder();
        server.host("127.0.0.1").port(o.hotRodPort()).name(o.nodeName())
                .adminOperationsHandler(new EmbeddedServerAdminOperationHandler());
        if (o.advertisedHost() != null) {
            server.proxyHost(o.advertisedHost());
        }
        if (o.users() != null) {
            server.authentication().enable().sasl().authenticator(o.users().authenticator())
                    .serverName(HotRodUsers.SERVER_NAME).addMechanisms(HotRodUsers.MECHANISMS.toArray(String[]::new));
            if (o.users().keyStore() != null) {
                server.ssl().enable().keyStoreFileName(o.users().keyStore().toString())
                        .keyStorePassword(o.users().keyStorePassword().toCharArray()).keyStoreType("PKCS12");
            }
        }
        HotRodServer hotRod = new HotRodServer();
        hotRod.start(server.build(), manager);
        hotRod.postStart();
        return new EmbeddedInfinispan(manager, hotRod, "127.0.0.1:" + hotRod.getPort(), folders);
    }

    /**
     * The loopback stack: Infinispan's TCP defaults, discovery by a fixed member list, failure detection
     * in seconds (as kill tests need), a DISCARD protocol right above the transport that passes
     * everything until a test cuts the node off from the others with it (a network partition), and
     * {@link MinorityFence} above it: a node that has not heard from a majority for 1.5 s leaves the
     * view, where the majority removes a silent member only after FD_ALL3's 4 s (heartbeats every
     * 0.5 s), so a cut-off node is refusing requests before the others take writes without it.
     */
    public static String jgroups(int port, List<Integer> members) {
        return stack(port, members, FENCE);
    }

    private static final String FENCE = "<dev.eddy.devstack.MinorityFence lease=\"1500\"/>";

    /**
     * The channels of a node started in this process: the same stack, with the fence put in as an
     * instance rather than named. JGroups loads a named protocol through its own class loader first,
     * and under a Quarkus test that loader reaches the fence through the application class path, whose
     * fence extends another copy of JGroups' Protocol (ClassCastException).
     */
    private static final class LoopbackChannels implements JGroupsChannelConfigurator {
        private final int port;
        private final List<Integer> members;
        private SocketFactory sockets;

        LoopbackChannels(int port, List<Integer> members) {
            this.port = port;
            this.members = List.copyOf(members);
        }

        @Override
        public String getName() {
            return "eddy-loopback";
        }

        @Override
        public JChannel createChannel(String name) throws Exception {
            JChannel channel = new JChannel(new ByteArrayInputStream(getProtocolStackString().getBytes(StandardCharsets.UTF_8)));
            MinorityFence fence = new MinorityFence();
            fence.setProtocolStack(channel.getProtocolStack());
            channel.getProtocolStack().insertProtocol(fence, ProtocolStack.Position.ABOVE, DISCARD.class);
            fence.init();
            if (sockets != null) {
                channel.getProtocolStack().getTransport().setSocketFactory(sockets);
            }
            return channel.name(name);
        }

        @Override
        public String getProtocolStackString() {
            return stack(port, members, "");
        }

        /** The stack as configured (for Infinispan's diagnostics); the fence, inserted as an instance, is not in it. */
        @Override
        public List<ProtocolConfiguration> getProtocolStack() {
            try {
                return org.jgroups.conf.XmlConfigurator.getInstance(
                        new ByteArrayInputStream(getProtocolStackString().getBytes(StandardCharsets.UTF_8))).getProtocolStack();
            } catch (Exception e) {
                throw new IllegalStateException("The loopback JGroups stack does not parse", e);
            }
        }

        @Override
        public void setSocketFactory(SocketFactory socketFactory) {
            this.sockets = socketFactory;
        }

        @Override
        public void setDataSource(DataSource dataSource) {
            // no JDBC discovery here
        }
    }

    private static String stack(int port, List<Integer> members, String fence) {
        String hosts = members.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
        return """
                <config xmlns="urn:org:jgroups">
                  <TCP bind_addr="127.0.0.1" bind_port="%d" port_range="0" tcp_nodelay="true"
                       sock_conn_timeout="300ms" bundler_type="transfer-queue" diag.enabled="false"
                       thread_pool.min_threads="0" thread_pool.max_threads="200" thread_pool.keep_alive_time="1m"/>
                  <DISCARD discard_all="false"/>
                  %s
                  <RED/>
                  <TCPPING initial_hosts="%s" port_range="0"/>
                  <MERGE3 min_interval="2s" max_interval="5s"/>
                  <FD_SOCK2 offset="%d"/>
                  <FD_ALL3 timeout="4s" interval="500ms"/>
                  <VERIFY_SUSPECT2 timeout="500ms"/>
                  <pbcast.NAKACK2 use_mcast_xmit="false" xmit_interval="200ms"/>
                  <UNICAST3 xmit_interval="200ms"/>
                  <pbcast.STABLE desired_avg_gossip="5s" max_bytes="1M"/>
                  <pbcast.GMS print_local_addr="false" join_timeout="2s"/>
                  <UFC max_credits="4m" min_threshold="0.40"/>
                  <MFC max_credits="4m" min_threshold="0.40"/>
                  <FRAG4 frag_size="60k"/>
                </config>
                """.formatted(port, fence, hosts, 100);
    }

    /** "127.0.0.1:port" of the Hot Rod server. */
    public String hotRodAddress() {
        return address;
    }

    public DefaultCacheManager cacheManager() {
        return cacheManager;
    }

    /**
     * Closes every Hot Rod client connection the node holds now, as its death would (the clients
     * reconnect): what a fault test uses to lose a reply.
     */
    public void dropClientConnections() {
        hotRod.getTransport().getAcceptedChannels().close();
    }

    /** A graceful stop: the Hot Rod server first, then the caches with their stores. */
    @Override
    public void close() {
        folders.close();
        hotRod.stop();
        cacheManager.stop();
    }
}
