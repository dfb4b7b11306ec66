package dev.eddy.functions.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The deployment's shape on loopback, every part a process of its own: 3 Infinispan nodes
 * ({@code owners = 2}, file stores, the operator's {@code eddy-table} template), 3 Kafka nodes
 * (replication 3, {@code min.insync.replicas = 2}), 2 Eddy instances in the function role and 1 in
 * the maintenance role (the packaged application). The suite kills, stops, partitions and starts
 * them; nothing here decides what a scenario does.
 */
final class FaultCluster implements AutoCloseable {
    static final int NODES = 3;

    private final Path work;
    private final Path logs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<JavaProcess> infinispan = new ArrayList<>();
    final List<Integer> hotRodPorts = new ArrayList<>();
    final List<Integer> controlPorts = new ArrayList<>();
    final List<JavaProcess> kafka = new ArrayList<>();
    final List<Integer> kafkaPorts = new ArrayList<>();
    final List<EddyInstance> functions = new ArrayList<>();
    EddyInstance maintenance;

    private FaultCluster(Path work) {
        this.work = work;
        this.logs = work.resolve("logs");
    }

    /** Starts everything: the servers first, then the Eddy instances with these extra settings (triggers). */
    static FaultCluster start(Path work, Map<String, String> maintenanceSettings) throws Exception {
        FaultCluster c = new FaultCluster(work);
        // whatever ends this JVM, its servers and instances end with it
        Runtime.getRuntime().addShutdownHook(new Thread(c::killAll, "fault-cluster-cleanup"));
        try {
            c.startServers();
            Map<String, String> settings = c.eddySettings();
            for (int i = 0; i < 2; i++) {
                c.functions.add(new EddyInstance("function-" + (i + 1), c.logs, "function", settings, freePort()));
            }
            Map<String, String> withTriggers = new HashMap<>(settings);
            withTriggers.putAll(maintenanceSettings);
            c.maintenance = new EddyInstance("maintenance", c.logs, "maintenance", withTriggers, freePort());
            for (EddyInstance f : c.functions) {
                f.start();
            }
            c.maintenance.start();
            for (EddyInstance f : c.functions) {
                f.awaitServing();
            }
            c.maintenance.awaitServing();
            c.kubelet.scheduleWithFixedDelay(c::probeLiveness, LIVENESS_PERIOD_MILLIS, LIVENESS_PERIOD_MILLIS,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    Path work() {
        return work;
    }

    /** The manifests' liveness probe: every 10 s, restarted after 3 failures in a row. */
    static final long LIVENESS_PERIOD_MILLIS = 10_000;
    static final int LIVENESS_FAILURES = 3;
    /**
     * The probe's timeout. The manifests leave Kubernetes' default (1 s); on this machine, two cores
     * shared by nine JVMs and the load, a second is not always enough for an answer of a healthy instance.
     */
    static final long LIVENESS_TIMEOUT_MILLIS = 5_000;

    /** Each Eddy instance the liveness probe had restarted, when and why, as its scenario reports it. */
    final List<String> livenessRestarts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService kubelet =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fault-cluster-kubelet");
                t.setDaemon(true);
                return t;
            });
    private final Map<EddyInstance, Integer> livenessFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Plays the kubelet's liveness probe for the Eddy instances (as {@link #awaitInfinispanRestarted} plays
     * the startup probe for the nodes): an instance that has served since its start and fails the probe
     * {@link #LIVENESS_FAILURES} times in a row is killed and started again. A CI run's maintenance
     * instance, its every Hot Rod request timing out, went on for minutes with no duty done; its liveness
     * check now reports such a client, and this is what acts on it.
     */
    private void probeLiveness() {
        List<EddyInstance> instances = new ArrayList<>(functions);
        if (maintenance != null) {
            instances.add(maintenance);
        }
        for (EddyInstance instance : instances) {
            try {
                String failed = instance.isAlive() && instance.served() ? instance.liveness(LIVENESS_TIMEOUT_MILLIS) : null;
                int failures = failed == null ? 0 : livenessFailures.merge(instance, 1, Integer::sum);
                if (failed == null) {
                    livenessFailures.remove(instance);
                    continue;
                }
                System.out.println("fault cluster: liveness probe of " + instance.name() + " failed (" + failures + " of "
                        + LIVENESS_FAILURES + "): " + failed);
                if (failures < LIVENESS_FAILURES) {
                    continue;
                }
                livenessFailures.remove(instance);
                synchronized (instance) {
                    if (!instance.isAlive() || !instance.served()) {
                        continue; // a scenario killed or restarted it meanwhile
                    }
                    String why = instance.name() + " restarted at " + java.time.LocalTime.now().withNano(0) + " after "
                            + LIVENESS_FAILURES + " failed liveness probes (" + failed + ")";
                    System.out.println("fault cluster: " + why + "; its threads are in its log");
                    instance.process().threadDump();
                    livenessRestarts.add(why);
                    instance.kill();
                    instance.start();
                }
                instance.awaitServing();
            } catch (Exception e) {
                System.out.println("fault cluster: the liveness probe of " + instance.name() + ": " + e);
            }
        }
    }

    Path logs() {
        return logs;
    }

    private void startServers() throws Exception {
        Path logging = work.resolve("logging.properties");
        Files.createDirectories(logs);
        Files.writeString(logging, """
                logger.level=INFO
                logger.handlers=CONSOLE
                loggers=kafka,org.apache.kafka,state.change.logger,org.jgroups
                logger.kafka.level=WARN
                logger.org.apache.kafka.level=WARN
                logger.state.change.logger.level=WARN
                logger.org.jgroups.level=WARN
                handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler
                handler.CONSOLE.formatter=PATTERN
                handler.CONSOLE.properties=autoFlush
                handler.CONSOLE.autoFlush=true
                formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter
                formatter.PATTERN.properties=pattern
                formatter.PATTERN.pattern=%d{HH:mm:ss,SSS} %-5p [%c{1}] %s%e%n
                """);
        List<String> jvm = List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dlogging.configuration=" + logging.toUri());
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            clusterPorts.add(freePortWithCompanion());
            hotRodPorts.add(freePort());
            controlPorts.add(freePort());
            kafkaPorts.add(freePort());
        }
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            controllerPorts.add(freePort());
        }
        Path template = templateConfigMap();
        String members = clusterPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        // The nodes log through java.util.logging: on this classpath the JBoss LogManager is Quarkus's,
        // which holds every record back until a Quarkus application starts (so nodes logged nothing).
        Path nodeLogging = work.resolve("node-logging.properties");
        Files.writeString(nodeLogging, """
                handlers=java.util.logging.ConsoleHandler
                .level=INFO
                java.util.logging.ConsoleHandler.level=ALL
                java.util.logging.ConsoleHandler.formatter=java.util.logging.SimpleFormatter
                java.util.logging.SimpleFormatter.format=%1$tH:%1$tM:%1$tS,%1$tL %4$-7s [%3$s] %5$s%6$s%n
                org.jgroups.level=WARNING
                """);
        for (int i = 0; i < NODES; i++) {
            List<String> options = new ArrayList<>(List.of("-Dorg.jboss.logging.provider=jdk",
                    "-Djava.util.logging.config.file=" + nodeLogging));
            options.add("-Xmx384m");
            infinispan.add(JavaProcess.main("infinispan-" + (i + 1), logs, options, InfinispanServer.class,
                    List.of("node" + (i + 1), work.resolve("infinispan-" + (i + 1)).toString(),
                            hotRodPorts.get(i).toString(), clusterPorts.get(i).toString(), members,
                            controlPorts.get(i).toString(), template.toString(),
                            hotRodPorts.stream().map(String::valueOf).collect(Collectors.joining(",")))));
        }
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        String brokers = kafkaPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        String controllers = controllerPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
        for (int i = 0; i < NODES; i++) {
            List<String> options = new ArrayList<>(jvm);
            options.add("-Xmx256m");
            kafka.add(JavaProcess.main("kafka-" + (i + 1), logs, options, KafkaServer.class,
                    List.of(Integer.toString(i + 1), work.resolve("kafka-" + (i + 1)).toString(), clusterId, brokers,
                            controllers)));
        }
        for (JavaProcess p : infinispan) {
            p.start();
        }
        for (JavaProcess p : kafka) {
            p.start();
        }
        for (JavaProcess p : infinispan) {
            p.awaitLine("READY", 180_000);
        }
        awaitInfinispanHealthy(180_000);
        for (JavaProcess p : kafka) {
            p.awaitLine("READY", 180_000);
        }
    }

    /** The Infinispan Operator's server configuration (k8s/20-infinispan-config.yaml) of this checkout. */
    static Path templateConfigMap() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("k8s/20-infinispan-config.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("k8s/20-infinispan-config.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** What every Eddy instance is told: the servers, replicated stream topics, short leases and sweeps. */
    private Map<String, String> eddySettings() {
        Map<String, String> s = new HashMap<>();
        s.put("eddy.infinispan.servers", hotRodPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(";")));
        s.put("eddy.kafka.bootstrap-servers", kafkaBootstrap());
        s.put("eddy.streams.replication", "3");
        s.put("eddy.streams.min-insync-replicas", "2");
        s.put("eddy.auth.enabled", "false");
        s.put("eddy.leases.duration", "PT3S");
        s.put("eddy.streams.sweep-interval", "PT1S");
        s.put("eddy.ttl.sweep-interval", "PT1S");
        s.put("eddy.transactions.timeout", "PT3S");
        return s;
    }

    String kafkaBootstrap() {
        return kafkaPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** A node's health answer ("HEALTHY 3"), or what went wrong asking. */
    String health(int node) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPorts.get(node) + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Waits until every running node reports Infinispan's cluster health HEALTHY with all of them as
     * members: joined, no rebalance in flight, no cache degraded. Returns how long it took.
     */
    long awaitInfinispanHealthy(long timeoutMillis) throws Exception {
        long start = System.currentTimeMillis();
        long deadline = start + timeoutMillis;
        List<String> answers = List.of();
        while (System.currentTimeMillis() < deadline) {
            answers = new ArrayList<>();
            boolean all = true;
            for (int i = 0; i < NODES; i++) {
                String h = health(i);
                answers.add(h);
                all &= InfinispanServer.healthy(h, NODES);
            }
            if (all) {
                return System.currentTimeMillis() - start;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Infinispan did not become healthy: " + answers);
    }

    /** The node that is the cluster's coordinator now (the first that says so). */
    int coordinator() throws Exception {
        for (int i = 0; i < NODES; i++) {
            String answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPorts.get(i)
                    + "/coordinator")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (Boolean.parseBoolean(answer)) {
                return i;
            }
        }
        throw new IllegalStateException("no Infinispan node is the coordinator");
    }

    void partition(int node, boolean apart) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPorts.get(node)
                + (apart ? "/partition" : "/heal"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    void startInfinispan(int node) throws Exception {
        infinispan.get(node).start();
    }

    /**
     * Starts a node cut off from the others for its first {@code millis} (its discovery finds nobody, as
     * a restarted node's did in a CI run): it forms a cluster of its own, which merges with the others'
     * once messages pass again.
     */
    void startInfinispanCutOff(int node, long millis) throws Exception {
        Files.writeString(work.resolve("infinispan-" + (node + 1)).resolve(InfinispanServer.ISOLATED_AT_START),
                Long.toString(millis));
        infinispan.get(node).start();
    }

    void awaitInfinispanStarted(int node) throws Exception {
        infinispan.get(node).awaitLine("READY", 180_000);
    }

    /** Each restarted node whose start hung and was killed and started again, as its scenario reports it. */
    final List<String> startsRetried = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Waits for a node restarted into a running cluster as a Kubernetes startup probe would: a node that
     * has not started in {@code STARTUP_PROBE_MILLIS} is killed and started once more (and then must
     * start). The hang is kept, with the node's busy threads and the coordinator's last log lines, for
     * its scenario's figures and the log: a rolling restart's node once waited in its caches' start
     * (Infinispan's {@code GlobalConfigurationManagerImpl.postStart}) for 3 minutes in a CI run.
     */
    void awaitInfinispanRestarted(int node) throws Exception {
        JavaProcess p = infinispan.get(node);
        if (p.saysWithin("READY", STARTUP_PROBE_MILLIS)) {
            return;
        }
        String why = p.name() + " not started " + STARTUP_PROBE_MILLIS / 1000 + " s after its start: killed and started again";
        String dump = p.threadDump(); // appended to its log with the others' below
        System.out.println("---- " + why + "; its busy threads:\n" + JavaProcess.busyThreads(dump)
                + "\n(every node's threads are in its log: " + p.name() + ", " + dumpInfinispanThreads(p) + ")");
        for (int i = 0; i < NODES; i++) {
            if (i != node) {
                String run = infinispan.get(i).currentRun();
                System.out.println("---- the last log lines of " + infinispan.get(i).name() + ":\n"
                        + run.substring(Math.max(0, run.length() - 6000)));
            }
        }
        startsRetried.add(why);
        p.kill();
        p.start();
        p.awaitLine("READY", 180_000);
    }

    static final long STARTUP_PROBE_MILLIS = 120_000;

    /** Appends a thread dump of every running Infinispan node and Eddy instance to its log; says which were dumped. */
    String dumpThreads() {
        List<String> dumped = new ArrayList<>();
        String nodes = dumpInfinispanThreads(null);
        if (!nodes.isEmpty()) {
            dumped.add(nodes);
        }
        List<EddyInstance> instances = new ArrayList<>(functions);
        if (maintenance != null) {
            instances.add(maintenance);
        }
        for (EddyInstance instance : instances) {
            JavaProcess p = instance.process();
            if (p != null && p.isAlive() && !p.threadDump().isEmpty()) {
                dumped.add(p.name());
            }
        }
        return String.join(", ", dumped);
    }

    /** A thread dump of every running Infinispan node but {@code dumpedAlready} appended to its log; says which. */
    private String dumpInfinispanThreads(JavaProcess dumpedAlready) {
        List<String> dumped = new ArrayList<>();
        for (JavaProcess p : infinispan) {
            if (p != dumpedAlready && p.isAlive() && !p.threadDump().isEmpty()) {
                dumped.add(p.name());
            }
        }
        return String.join(", ", dumped);
    }

    void startKafka(int node) throws Exception {
        kafka.get(node).start();
    }

    void awaitKafkaStarted(int node) throws Exception {
        kafka.get(node).awaitLine("READY", 300_000); // three nodes restarted at once on a busy machine took over 3 min
    }

    @Override
    public void close() throws Exception {
        kubelet.shutdownNow();
        for (EddyInstance f : functions) {
            f.stop();
        }
        if (maintenance != null) {
            maintenance.stop();
        }
        for (JavaProcess p : kafka) {
            p.kill();
        }
        for (JavaProcess p : infinispan) {
            p.kill();
        }
    }

    private void killAll() {
        try {
            for (EddyInstance f : functions) {
                f.kill();
            }
            if (maintenance != null) {
                maintenance.kill();
            }
            for (JavaProcess p : kafka) {
                p.kill();
            }
            for (JavaProcess p : infinispan) {
                p.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A free port below the kernel's ephemeral range, not handed out before in this JVM. The suite's
     * processes bind their ports later, and bind them again when restarted; a port from the ephemeral
     * range can meanwhile become the local end of any outgoing connection on the machine (two clean-clone
     * CI checks: an Infinispan node's Hot Rod bind failed "Address already in use", once at the suite's
     * start, once at a rolling restart).
     */
    static synchronized int freePort() throws IOException {
        int below = ephemeralLow() - 200; // room for a port's FD_SOCK2 companion (port + 100)
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int tries = 0; tries < 10_000; tries++) {
            int port = random.nextInt(10_000, below);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            } catch (IOException taken) {
                continue;
            }
            HANDED_OUT.add(port);
            return port;
        }
        throw new IOException("no free port below " + below);
    }

    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    /** The lowest port the kernel gives outgoing connections (Linux's default when it cannot be read). */
    private static int ephemeralLow() {
        // read line-wise: Files.readString trusts the size /proc reports and returned only "3" here
        try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            int low = Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
            return low > 20_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** A free port whose FD_SOCK2 companion (port + 100) is free too. */
    static int freePortWithCompanion() throws IOException {
        while (true) {
            int port = freePort();
            if (port + 100 < 65536) {
                try (ServerSocket companion = new ServerSocket(port + 100)) {
                    return port;
                } catch (IOException taken) {
                    // another
                }
            }
        }
    }

    static String randomId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
