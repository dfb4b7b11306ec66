package dev.eddy.functions.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seven faults of the fault suite (issue 15), each under the mixed load on a table of its own
 * and ending with the full check. Each scenario leaves the cluster whole again for the next one.
 */
final class FaultScenarios implements AutoCloseable {
    /**
     * How big a run is: the load, how long it runs before and after the fault, how long faults last,
     * and the overload's size.
     */
    record Form(String name, MixedLoad.Shape shape, int warmSeconds, int faultSeconds, int kafkaOutageSeconds,
                int afterSeconds, int idleConnections, int halfSentBodies, long bodyBytes) {
        /**
         * CI's: each scenario once, a small load, short faults (Kafka away 6 s: long enough for the
         * writes to go on into the outbox, the restart and catching up take the time), an overload just
         * past the connection limit (4096) and the request-byte budget (two 17 MB bodies).
         */
        static final Form SHORT = new Form("short", new MixedLoad.Shape(3, 20, 3, 4, 20), 4, 5, 6, 3, 6_000, 40,
                20L * 1024 * 1024);
        /** bin/fault-suite's: a bigger load, longer faults, Kafka away for a minute. */
        static final Form FULL = new Form("full", new MixedLoad.Shape(6, 50, 4, 6, 5), 15, 20, 60, 10, 20_000, 400,
                20L * 1024 * 1024);
    }

    static final List<String> DUTIES = List.of("outbox-sweeper", "upkeep-timers", "transaction-recovery", "statistics");
    private static final Pattern TOOK = Pattern.compile("Took duty (\\S+)");

    private final Form form;
    private final TriggerReceiver trigger;
    final FaultCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FaultScenarios(Form form, TriggerReceiver trigger, FaultCluster cluster) {
        this.form = form;
        this.trigger = trigger;
        this.cluster = cluster;
    }

    /** Starts the cluster, its maintenance role delivering each scenario table's stream to the receiver. */
    static FaultScenarios start(Path work, Form form) throws Exception {
        TriggerReceiver trigger = new TriggerReceiver();
        Map<String, String> triggers = new HashMap<>();
        for (int s = 1; s <= 7; s++) {
            triggers.putAll(trigger.triggerSettings("scenario" + s, table(s)));
        }
        try {
            return new FaultScenarios(form, trigger, FaultCluster.start(work, triggers));
        } catch (Exception e) {
            trigger.close();
            throw e;
        }
    }

    static String table(int scenario) {
        return "Faults" + scenario;
    }

    /** What a fault reports back: when it was over (repaired), how long recovery took, what was seen. */
    record Outcome(long repairedAt, String recovery, String observed) {
    }

    @FunctionalInterface
    interface Fault {
        Outcome inject(MixedLoad load, Set<String> expired) throws Exception;
    }

    private Figures run(String scenario, int number, Fault fault) throws Exception {
        try {
            Figures figures = runUnwatched(scenario, number, fault);
            if (!figures.check().problems().isEmpty()) {
                // a check that failed may be a process that stopped working (a CI run's scenario 4: every Hot Rod
                // request of the maintenance instance timed out for minutes, the nodes silent): what each was doing
                System.out.println("fault suite: " + scenario + ": the full check found problems; every process's threads"
                        + " are in its log: " + cluster.dumpThreads());
            }
            return figures;
        } catch (Exception | Error e) {
            // what every process was doing when the scenario gave up, in the processes' logs
            System.out.println("fault suite: " + scenario + " failed (" + e + "); every process's threads are in its log: "
                    + cluster.dumpThreads());
            throw e;
        }
    }

    private Figures runUnwatched(String scenario, int number, Fault fault) throws Exception {
        List<URI> endpoints = cluster.functions.stream().map(EddyInstance::endpoint).toList();
        try (MixedLoad load = new MixedLoad(table(number), form.shape(), endpoints)) {
            load.createTable();
            load.start();
            Thread.sleep(form.warmSeconds() * 1000L);
            Set<String> expired = ConcurrentHashMap.newKeySet();
            long faultAt = System.currentTimeMillis();
            int restartsBefore = cluster.livenessRestarts.size();
            Outcome outcome = fault.inject(load, expired);
            Thread.sleep(form.afterSeconds() * 1000L);
            load.stop();
            long windowEnd = outcome.repairedAt() + 5_000;
            Map<String, Long> errors = load.errors.between(faultAt, windowEnd);
            long lastError = load.errors.lastAfter(faultAt);
            String recovery = outcome.recovery() + (lastError < 0 ? "; clients saw no error"
                    : "; clients' last error " + seconds(lastError - faultAt) + " after the fault began");
            List<String> restarts = cluster.livenessRestarts.subList(restartsBefore, cluster.livenessRestarts.size());
            if (!restarts.isEmpty()) {
                recovery += "; " + String.join("; ", restarts);
            }
            FullCheck.Result check = FullCheck.run(load, cluster.functions.get(0).endpoint(), trigger, expired);
            Figures f = new Figures(scenario, load.writesAcknowledged.get(), load.readsAnswered.get(), check, recovery,
                    errors, outcome.observed());
            System.out.println("fault suite: " + scenario + ": " + f);
            return f;
        }
    }

    /**
     * 1. kill -9 of one Infinispan node, then its restart, the node finding nobody for its first seconds
     * (as a restarted node's discovery once did in a CI run): it forms a cluster of its own that merges
     * with the running one, the harder of the two ways it can come back.
     */
    Figures killOneInfinispanNode() throws Exception {
        return run("1. kill -9 one Infinispan node, restart it (cut off for its first 15 s)", 1, (load, expired) -> {
            cluster.infinispan.get(1).kill();
            Thread.sleep(form.faultSeconds() * 1000L);
            long restart = System.currentTimeMillis();
            cluster.startInfinispanCutOff(1, 15_000);
            cluster.awaitInfinispanStarted(1);
            // Alone it must not start its caches, nor so its Hot Rod port: what it would recover there (its kept
            // layouts) can win the merge over the running members' (a CI run lost 384 acknowledged writes so).
            String started = cluster.infinispan.get(1).currentRun();
            int healed = started.indexOf(CutOffAtStart.HEALED);
            if (healed < 0 || started.indexOf("READY ") < healed) {
                throw new IllegalStateException("node 2, restarted cut off from the others, started serving alone");
            }
            // Nor, the others serving, may it present its kept layouts: should it coordinate the merged cluster, it
            // recovers the caches from them (ISPN000689) and its old store wins (a CI run lost 733 writes so).
            if (started.contains("ISPN000689") || started.contains("starting again without the kept layouts")) {
                throw new IllegalStateException("node 2, restarted while the others served, presented its kept layouts");
            }
            cluster.awaitInfinispanHealthy(180_000);
            long healthy = System.currentTimeMillis();
            return new Outcome(healthy, "node rejoined and cluster HEALTHY " + seconds(healthy - restart)
                    + " after its restart", "down " + form.faultSeconds() + " s");
        });
    }

    /** 2. kill -9 of every Infinispan node at once, restart; then a rolling restart with SIGTERM. */
    Figures killAllInfinispanNodesThenRollingRestart() throws Exception {
        return run("2. kill -9 all Infinispan nodes, restart; rolling SIGTERM restart", 2, (load, expired) -> {
            for (JavaProcess node : cluster.infinispan) {
                node.kill();
            }
            Thread.sleep(2_000);
            long restart = System.currentTimeMillis();
            for (int i = 0; i < FaultCluster.NODES; i++) {
                cluster.startInfinispan(i);
            }
            for (int i = 0; i < FaultCluster.NODES; i++) {
                cluster.awaitInfinispanStarted(i);
            }
            cluster.awaitInfinispanHealthy(180_000);
            long healthy = System.currentTimeMillis();
            Thread.sleep(form.faultSeconds() * 1000L);
            long rolling = System.currentTimeMillis();
            List<String> waits = new ArrayList<>();
            for (int i = 0; i < FaultCluster.NODES; i++) {
                waits.add(seconds(RollingRestart.restart(cluster, i)));
            }
            long done = System.currentTimeMillis();
            return new Outcome(done, "all nodes killed: HEALTHY " + seconds(healthy - restart) + " after the restart; "
                    + "rolling restart of 3 nodes " + seconds(done - rolling),
                    "rolling restart: each node back and the cluster HEALTHY after " + String.join(", ", waits)
                            + (cluster.startsRetried.isEmpty() ? "" : "; " + String.join("; ", cluster.startsRetried)));
        });
    }

    /** 3. One Kafka broker killed, then every broker down, then all started again. */
    Figures kafkaBrokersDown() throws Exception {
        return run("3. kill -9 one Kafka broker, then all down " + form.kafkaOutageSeconds() + " s", 3, (load, expired) -> {
            cluster.kafka.get(0).kill();
            Thread.sleep(form.faultSeconds() * 1000L);
            long before = load.writesAcknowledged.get();
            for (JavaProcess broker : cluster.kafka) {
                broker.kill();
            }
            Thread.sleep(form.kafkaOutageSeconds() * 1000L);
            long during = load.writesAcknowledged.get() - before;
            long restart = System.currentTimeMillis();
            for (int i = 0; i < FaultCluster.NODES; i++) {
                cluster.startKafka(i);
            }
            for (int i = 0; i < FaultCluster.NODES; i++) {
                cluster.awaitKafkaStarted(i);
            }
            long up = System.currentTimeMillis();
            String probe = "probe-" + FaultCluster.randomId();
            load.untilAnswered(c -> c.putItem(r -> r.tableName(load.table).item(Map.of("pk", MixedLoad.s(probe)))));
            long deadline = System.currentTimeMillis() + 180_000;
            while (trigger.arrived(load.table, probe) == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Long arrived = trigger.arrived(load.table, probe);
            return new Outcome(up, "brokers up " + seconds(up - restart) + " after their restart; a new write reached "
                    + "the trigger " + (arrived == null ? "never" : seconds(arrived - restart)) + " after it",
                    during + " writes acknowledged while no broker ran");
        });
    }

    /** 4. Function instances killed and scaled to zero mid-load; the maintenance role goes on; one started. */
    Figures functionsKilledAndScaledToZero() throws Exception {
        return run("4. function instances kill -9 / scaled to zero, then started", 4, (load, expired) -> {
            long expires = System.currentTimeMillis() / 1000 + 3;
            for (int i = 0; i < 5; i++) {
                String pk = "ttl-" + i;
                load.untilAnswered(c -> c.putItem(r -> r.tableName(load.table).item(Map.of("pk", MixedLoad.s(pk),
                        "expires", MixedLoad.n(expires)))));
                expired.add(pk);
            }
            cluster.functions.get(0).kill();
            cluster.functions.get(1).stop(); // scaled to zero: SIGTERM, as Knative ends an idle instance
            long zero = System.currentTimeMillis();
            long deadline = zero + 120_000;
            while (!trigger.expired(load.table).containsAll(expired) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            long ttlAt = System.currentTimeMillis();
            boolean ttlDone = trigger.expired(load.table).containsAll(expired);
            Thread.sleep(form.faultSeconds() * 1000L);
            cluster.functions.get(0).start();
            long firstServed = cluster.functions.get(0).awaitServing();
            long served = System.currentTimeMillis();
            cluster.functions.get(1).start();
            cluster.functions.get(1).awaitServing();
            return new Outcome(served, "first request served " + seconds(firstServed) + " after the instance's start",
                    "with no function running, Time to Live deletions reached the trigger "
                            + (ttlDone ? seconds(ttlAt - zero) + " after the last one went" : "NOT within 2 min"));
        });
    }

    /** 5. The maintenance instance killed; a new one takes its duties over. */
    Figures maintenanceKilled() throws Exception {
        return run("5. kill -9 the maintenance instance", 5, (load, expired) -> {
            EddyInstance m = cluster.maintenance;
            m.kill();
            long killed = System.currentTimeMillis();
            m.start(); // its Deployment starts a replacement
            m.awaitServing();
            long deadline = killed + 120_000;
            while (!taken(m).containsAll(DUTIES) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            long moved = System.currentTimeMillis();
            Thread.sleep(form.faultSeconds() * 1000L);
            return new Outcome(moved, "every duty held again " + seconds(moved - killed) + " after the kill",
                    "duties taken by the new instance: " + taken(m));
        });
    }

    private static Set<String> taken(EddyInstance m) throws Exception {
        Set<String> out = new java.util.TreeSet<>();
        Matcher matcher = TOOK.matcher(m.process().currentRun());
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }

    /**
     * 6. One Infinispan node cut off from the other two (JGroups DISCARD), then healed: the
     * coordinator, the harder case (it decides its partition's views and its caches' availability alone).
     */
    Figures infinispanPartition() throws Exception {
        return run("6. network partition of one Infinispan node (the coordinator)", 6, (load, expired) -> {
            int node = cluster.coordinator();
            cluster.partition(node, true);
            Thread.sleep(form.faultSeconds() * 1000L);
            String during = cluster.health(0) + " | " + cluster.health(1) + " | " + cluster.health(2);
            long heal = System.currentTimeMillis();
            cluster.partition(node, false);
            cluster.awaitInfinispanHealthy(180_000);
            long healthy = System.currentTimeMillis();
            return new Outcome(healthy, "merged and HEALTHY " + seconds(healthy - heal) + " after the partition healed",
                    "node " + (node + 1) + " cut off; health during the split (node 1 | 2 | 3): " + during);
        });
    }

    /** 7. Idle connections and half-sent large bodies against one function instance. */
    Figures overload() throws Exception {
        return run("7. overload: " + form.idleConnections() + " idle connections, " + form.halfSentBodies()
                + " half-sent " + form.bodyBytes() / (1024 * 1024) + " MB bodies", 7, (load, expired) -> {
            EddyInstance target = cluster.functions.get(0);
            List<JavaProcess> floods = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                floods.add(JavaProcess.main("flood-" + (i + 1), cluster.logs(), List.of("-Xmx128m"), ConnectionFlood.class,
                        List.of(Integer.toString(target.port()), Integer.toString(form.idleConnections() / 2),
                                Integer.toString(form.halfSentBodies() / 2), Long.toString(form.bodyBytes()),
                                Integer.toString(form.faultSeconds() + 10))).start());
            }
            int answered = 0;
            int asked = 0;
            long end = System.currentTimeMillis() + (form.faultSeconds() + 10) * 1000L;
            while (System.currentTimeMillis() < end) {
                asked++;
                answered += answers(target) ? 1 : 0;
                Thread.sleep(1_000);
            }
            List<String> reports = new ArrayList<>();
            for (JavaProcess flood : floods) {
                flood.awaitLine("first-connect-error", 300_000); // the whole report line
                String run = flood.currentRun();
                reports.add(run.substring(run.indexOf("FLOOD") + 6).trim().split("\n")[0]);
            }
            long over = System.currentTimeMillis();
            long deadline = over + 120_000;
            while (!answers(target) && System.currentTimeMillis() < deadline && target.isAlive()) {
                Thread.sleep(100);
            }
            long back = System.currentTimeMillis();
            boolean outOfMemory = target.process().currentRun().contains("OutOfMemoryError");
            return new Outcome(back, "instance " + (target.isAlive() ? "alive" : "DEAD") + ", a new connection answered "
                    + (answers(target) ? seconds(back - over) + " after the flood ended" : "NEVER"),
                    "new connections answered during the flood: " + answered + " of " + asked + "; heap "
                            + (outOfMemory ? "RAN OUT" : "held") + "; flood: " + String.join(" / ", reports));
        });
    }

    /** Whether a function instance answers a ListTables on a new connection within a few seconds. */
    boolean answers(EddyInstance instance) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(instance.endpoint()).timeout(Duration.ofSeconds(5))
                            .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            trigger.close();
        }
    }
}
