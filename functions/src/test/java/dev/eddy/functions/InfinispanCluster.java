package dev.eddy.functions;

import dev.eddy.devstack.EmbeddedInfinispan;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Infinispan cluster for the tests: two nodes joined over JGroups on loopback, each with
 * its Hot Rod server and file store, every entry kept on both ({@code owners = 2}). The
 * application under test is pointed at it by configuration, so it starts no embedded stack.
 */
public final class InfinispanCluster implements QuarkusTestResourceLifecycleManager {
    /**
     * The argument (of a test profile's resource entry) that gives the table caches the deployment's
     * partition handling: "true" for DENY_READ_WRITES, as k8s/20- has it.
     */
    static final String DENY_WHEN_SPLIT = "deny-when-split";

    private final List<EmbeddedInfinispan> nodes = new ArrayList<>();
    private boolean denyWhenSplit;
    /** Where the nodes of the cluster started last keep their data (a test looks for leftovers there). */
    static volatile Path dataRoot;
    /** The nodes of the cluster started last (a test cuts one off from the others). */
    static volatile List<EmbeddedInfinispan> running = List.of();

    @Override
    public void init(Map<String, String> args) {
        denyWhenSplit = Boolean.parseBoolean(args.getOrDefault(DENY_WHEN_SPLIT, "false"));
    }

    @Override
    public Map<String, String> start() {
        return Map.of("eddy.infinispan.servers", startNodes(2));
    }

    /** Starts the nodes and returns their Hot Rod addresses, "host:port;host:port". */
    public String startNodes(int count) {
        // A port found free can be taken by another process before the node binds it (other builds
        // share the machine): start over with fresh ports a few times before giving up.
        for (int attempt = 1; ; attempt++) {
            try {
                Path root = Files.createTempDirectory("eddy-test-cluster");
                dataRoot = root;
                List<Integer> clusterPorts = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    clusterPorts.add(freePort());
                }
                for (int i = 0; i < count; i++) {
                    var options = new EmbeddedInfinispan.Options(root.resolve("node" + i), 0, clusterPorts.get(i),
                            clusterPorts, 2, "node" + i);
                    nodes.add(EmbeddedInfinispan.start(denyWhenSplit ? options.denyingReadsAndWritesWhenSplit() : options));
                }
                running = List.copyOf(nodes);
                return nodes.stream().map(EmbeddedInfinispan::hotRodAddress).collect(Collectors.joining(";"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                stop();
                if (attempt >= 3 || !causedByBind(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void stop() {
        for (EmbeddedInfinispan node : nodes) {
            node.close();
        }
        nodes.clear();
    }

    /** A free port whose FD_SOCK2 companion (port + 100) is free too. */
    static int freePort() throws IOException {
        while (true) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port + 100 < 65536) {
                try (ServerSocket companion = new ServerSocket(port + 100)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
    }
}
