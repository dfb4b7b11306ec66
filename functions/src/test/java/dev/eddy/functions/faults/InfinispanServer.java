package dev.eddy.functions.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import dev.eddy.devstack.EmbeddedInfinispan;
import dev.eddy.devstack.KeptTopology;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.globalstate.ConfigurationStorage;
import org.infinispan.health.HealthStatus;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.marshall.protostream.impl.SerializationContextRegistry;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.infinispan.server.core.admin.embeddedserver.EmbeddedServerAdminOperationHandler;
import org.infinispan.server.hotrod.HotRodServer;
import org.infinispan.server.hotrod.configuration.HotRodServerConfigurationBuilder;

/**
 * One Infinispan node of the fault suite, as a process of its own: the embedded cache manager and
 * Hot Rod server (the jars Eddy's dev stack and tests already use, at the project's Infinispan
 * version; the server distribution on Maven Central is an older release and needs a distribution
 * layout) with the {@code eddy-table} configuration read from the Infinispan Operator's ConfigMap in
 * {@code k8s/}, global state and file stores on disk, JGroups TCP on loopback.
 *
 * <p>A small control endpoint on loopback lets the suite do what an operator and the network would:
 * {@code GET /health} answers Infinispan's cluster health (what the server's REST health endpoint
 * reports) and the member count; {@code GET /coordinator} whether this node is the cluster's
 * coordinator; {@code POST /partition} and {@code POST /heal} make the JGroups
 * {@code DISCARD} protocol under the stack drop, or pass again, every message to and from the other
 * members (a network partition of this node: {@link NetworkPartition}). JGroups is the dev stack's
 * TCP stack on loopback ({@code EmbeddedInfinispan.jgroups}). SIGTERM stops the node gracefully
 * (shutdown hook).
 *
 * <p>Arguments: name dataDir hotRodPort clusterPort clusterPort,clusterPort,... controlPort configMapFile
 * [hotRodPort,hotRodPort,... of every member]
 */
public final class InfinispanServer {
    public static void main(String[] args) {
        try {
            start(args);
        } catch (Throwable e) {
            // the JVM would otherwise live on (JGroups' threads) without serving: the suite waited minutes for it
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void start(String[] args) throws Exception {
        String name = args[0];
        Path data = Path.of(args[1]);
        int hotRodPort = Integer.parseInt(args[2]);
        int clusterPort = Integer.parseInt(args[3]);
        List<Integer> members = Arrays.stream(args[4].split(",")).map(Integer::valueOf).toList();
        int controlPort = Integer.parseInt(args[5]);
        Path configMap = Path.of(args[6]);
        List<Integer> hotRodPorts = args.length > 7
                ? Arrays.stream(args[7].split(",")).map(Integer::valueOf).filter(p -> p != hotRodPort).toList() : List.of();

        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.cacheContainer().statistics(false);
        global.globalState().enable()
                .persistentLocation(data.resolve("state").toString())
                .sharedPersistentLocation(data.resolve("shared").toString())
                .temporaryLocation(data.resolve("tmp").toString())
                .configurationStorage(ConfigurationStorage.OVERLAY);
        // No cache starts before a majority of the members is in this node's view. A node restarted alone
        // whose discovery found nobody (seen in a CI run of fault scenario 1) forms a cluster of its own; had
        // it started its caches there, it would recover them from its kept layouts (which name all members),
        // and when the two clusters merged Infinispan took that layout's side over the running majority's:
        // entries the restarted node's old store lacked were removed, older ones came back (384 acknowledged
        // writes lost). Waiting, it starts its caches in the merged cluster and joins as a new member.
        global.transport().clusterName("eddy-faults").nodeName(name)
                .initialClusterSize(members.size() / 2 + 1)
                .initialClusterTimeout(10, java.util.concurrent.TimeUnit.MINUTES);
        String stack = EmbeddedInfinispan.jgroups(clusterPort, members);
        long isolatedMillis = isolationAtStart(data);
        global.transport().addProperty(JGroupsTransport.CONFIGURATION_STRING,
                isolatedMillis > 0 ? CutOffAtStart.in(stack, isolatedMillis) : stack);
        global.serialization().allowList().addRegexp(".*");

        ConfigurationBuilderHolder operatorConfig = new ParserRegistry().parse(serverConfiguration(configMap),
                MediaType.APPLICATION_YAML);
        // Started through KeptTopology: Infinispan keeps segment ownership only across a graceful stop of
        // the whole cluster; this keeps it across a kill of every node too.
        DefaultCacheManager manager = KeptTopology.start(() -> {
            DefaultCacheManager m = new DefaultCacheManager(global.build(), false);
            operatorConfig.getNamedConfigurationBuilders().forEach((cache, builder) ->
                    m.defineConfiguration(cache, builder.build()));
            // The server's own types (Hot Rod's iteration filter, sent to the owners of remote segments when a
            // client iterates) are registered by the full server, not by the embedded one: without them every
            // cache iteration over more nodes than owners fails to marshal.
            SerializationContextRegistry types = GlobalComponentRegistry.componentOf(m, SerializationContextRegistry.class);
            types.addContextInitializer(SerializationContextRegistry.MarshallerType.GLOBAL,
                    new org.infinispan.server.core.GlobalContextInitializerImpl());
            types.addContextInitializer(SerializationContextRegistry.MarshallerType.GLOBAL,
                    new org.infinispan.server.hotrod.GlobalContextInitializerImpl());
            return m;
        }, data.resolve("state"), () -> anyServes(hotRodPorts)).manager();

        HotRodServer hotRod = new HotRodServer();
        hotRod.start(new HotRodServerConfigurationBuilder().host("127.0.0.1").port(hotRodPort).name(name)
                .adminOperationsHandler(new EmbeddedServerAdminOperationHandler()).build(), manager);
        hotRod.postStart();

        NetworkPartition partition = NetworkPartition.of(manager);
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", controlPort), 0);
        control.createContext("/health", x -> {
            var health = manager.getHealth().getClusterHealth();
            reply(x, health.getHealthStatus() + " " + health.getNumberOfNodes());
        });
        control.createContext("/coordinator", x -> reply(x, Boolean.toString(manager.isCoordinator())));
        control.createContext("/partition", x -> {
            partition.cutOff();
            reply(x, "partitioned");
        });
        control.createContext("/heal", x -> {
            partition.heal();
            reply(x, "healed");
        });
        control.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.stop(0);
            hotRod.stop();
            manager.stop();
        }, "graceful-stop"));
        System.out.println("READY " + name + " hotrod 127.0.0.1:" + hotRodPort);
    }

    /** The file which, when present at a start, holds how long the node starts cut off from the others (read once). */
    static final String ISOLATED_AT_START = "isolated-at-start-millis";

    private static long isolationAtStart(Path data) throws IOException {
        Path file = data.resolve(ISOLATED_AT_START);
        if (!Files.exists(file)) {
            return 0;
        }
        long millis = Long.parseLong(Files.readString(file).trim());
        Files.delete(file);
        return millis;
    }

    /**
     * Whether another member serves the caches: it answers a read of the catalog's cache over Hot Rod (or
     * answers and has no such cache yet). A member whose caches wait for the members of their kept
     * layouts (a whole-cluster restart) refuses the read, one not started yet refuses the connection.
     */
    static boolean anyServes(List<Integer> hotRodPorts) {
        for (int port : hotRodPorts) {
            org.infinispan.client.hotrod.configuration.ConfigurationBuilder b =
                    new org.infinispan.client.hotrod.configuration.ConfigurationBuilder();
            b.addServer().host("127.0.0.1").port(port);
            b.clientIntelligence(org.infinispan.client.hotrod.configuration.ClientIntelligence.BASIC);
            b.connectionTimeout(2_000).socketTimeout(5_000).maxRetries(0);
            b.marshaller(new org.infinispan.commons.marshall.IdentityMarshaller()); // the caches hold plain bytes
            try (org.infinispan.client.hotrod.RemoteCacheManager probe =
                         new org.infinispan.client.hotrod.RemoteCacheManager(b.build())) {
                org.infinispan.client.hotrod.RemoteCache<byte[], byte[]> catalog = probe.getCache("eddy.catalog");
                if (catalog != null) {
                    catalog.containsKey(new byte[] {0, 'p'});
                }
                System.out.println("The member at Hot Rod port " + port + " serves: joining as a new member");
                return true;
            } catch (RuntimeException notServing) {
                // refused, not started, or its caches wait for missing members
                System.out.println("The member at Hot Rod port " + port + " does not serve: " + notServing);
            }
        }
        return false;
    }

    /** Whether a node's health answer says it has every member and is neither rebalancing nor degraded. */
    static boolean healthy(String answer, int members) {
        return answer.equals(HealthStatus.HEALTHY + " " + members);
    }

    /**
     * The server configuration the operator adds to every node: the {@code infinispan-config.yaml}
     * block of the ConfigMap, as it is written there.
     */
    static String serverConfiguration(Path configMap) throws IOException {
        List<String> lines = Files.readAllLines(configMap);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("infinispan-config.yaml: |")) {
                start = i + 1;
                break;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException(configMap + " has no infinispan-config.yaml");
        }
        int indent = lines.get(start).length() - lines.get(start).stripLeading().length();
        StringBuilder yaml = new StringBuilder();
        for (int i = start; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isBlank() && line.length() - line.stripLeading().length() < indent) {
                break;
            }
            yaml.append(line.length() >= indent ? line.substring(indent) : "").append('\n');
        }
        return yaml.toString();
    }

    private static void reply(HttpExchange x, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
