package dev.eddy.functions.faults;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The check that ends every scenario, once the load has stopped and its unanswered writes are
 * settled: the table holds every acknowledged write (each item its writer's last write, each counter
 * exactly its applied increments, the accounts exactly the transfers whose records exist and every
 * acknowledged transfer among them); the global index equals the table; the stream has exactly one
 * record per applied write, in order per item; the trigger got every record once.
 */
final class FullCheck {
    /**
     * @param lostWrites        acknowledged writes the table does not show
     * @param missingRecords    applied writes with no stream record
     * @param duplicateRecords  stream records beyond the first of a write
     * @param triggerMissing    stream records the trigger never got
     * @param triggerDuplicates records delivered to the trigger more than once without the possible-redelivery
     *                          mark (a function that drops marked records it has seen would act twice)
     * @param triggerRedelivered records delivered again with the mark, after the holder that delivered them died
     * @param indexConvergedMillis how long after the load stopped the index equalled the table
     * @param problems          every difference found, spelled out
     */
    record Result(long lostWrites, long missingRecords, long duplicateRecords, long triggerMissing,
                  long triggerDuplicates, long triggerRedelivered, long indexConvergedMillis, int streamRecords,
                  List<String> problems) {
        long lost() {
            return lostWrites + missingRecords + triggerMissing;
        }

        long duplicated() {
            return duplicateRecords + triggerDuplicates;
        }
    }

    private final MixedLoad load;
    private final DynamoDbClient dynamo;
    private final URI endpoint;
    private final TriggerReceiver trigger;
    private final List<String> problems = new ArrayList<>();
    private long lostWrites;
    private long missingRecords;
    private long duplicateRecords;

    private FullCheck(MixedLoad load, URI endpoint, TriggerReceiver trigger) {
        this.load = load;
        this.dynamo = load.anyClient();
        this.endpoint = endpoint;
        this.trigger = trigger;
    }

    /** Runs the whole check against the table of a stopped load; {@code expired}: items Time to Live must have deleted. */
    static Result run(MixedLoad load, URI endpoint, TriggerReceiver trigger, Set<String> expired) throws Exception {
        return new FullCheck(load, endpoint, trigger).check(expired);
    }

    private Result check(Set<String> expired) throws Exception {
        long stopped = System.currentTimeMillis();
        for (WriteChain c : load.items.values()) {
            problems.addAll(c.violations);
        }
        for (WriteChain c : load.counterMarks.values()) {
            problems.addAll(c.violations);
        }
        problems.addAll(load.readViolations);

        Map<String, Map<String, AttributeValue>> base = scan(null, true);
        checkItems(base);
        Set<String> transfers = checkTransfers(base);
        for (String pk : expired) {
            if (base.containsKey(pk)) {
                problems.add(pk + " expired but is still in the table");
            }
        }
        long indexMillis = checkIndex(stopped);

        StreamHistory stream = caughtUpStream(stopped);
        checkStream(stream, transfers, expired);

        Set<String> eventIds = new HashSet<>();
        stream.byItem.values().forEach(changes -> changes.forEach(c -> eventIds.add(c.eventId())));
        List<String> notDelivered = trigger.missing(load.table, eventIds);
        long deadline = System.currentTimeMillis() + 90_000;
        while (!notDelivered.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            notDelivered = trigger.missing(load.table, eventIds);
        }
        if (!notDelivered.isEmpty()) {
            problems.add(notDelivered.size() + " stream records never reached the trigger, e.g. " + notDelivered.get(0));
        }
        List<String> unknown = trigger.unknown(load.table, eventIds);
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " records reached the trigger that the stream does not have, e.g. " + unknown.get(0));
        }
        long triggerDuplicates = trigger.duplicates(load.table);
        if (triggerDuplicates > 0) {
            problems.add(triggerDuplicates + " records were delivered to the trigger more than once, "
                    + "the second time without the possible-redelivery mark");
        }
        // each item a problem names: what its writer sent and was told, to set against the processes' logs
        load.trace.forEach((pk, events) -> {
            if (problems.stream().anyMatch(p -> p.startsWith(pk + " ") || p.startsWith(pk + ":"))) {
                System.out.println("fault suite: " + load.table + " " + pk + " as its writer saw it: "
                        + String.join(" | ", events));
            }
        });
        return new Result(lostWrites, missingRecords, duplicateRecords, notDelivered.size(), triggerDuplicates,
                trigger.markedRedeliveries(load.table), indexMillis, stream.records, problems);
    }

    /** Each item shows its writer's last applied write; each counter and its marks its applied increments. */
    private void checkItems(Map<String, Map<String, AttributeValue>> base) {
        load.items.forEach((pk, chain) -> {
            Map<String, AttributeValue> item = base.get(pk);
            String current = item == null ? null : item.get("w").s();
            int at = chain.applied.lastIndexOf(current);
            if (at != chain.applied.size() - 1) {
                long lost = chain.applied.subList(at + 1, chain.applied.size()).stream()
                        .filter(chain.acknowledged::contains).count();
                lostWrites += lost;
                problems.add(pk + " shows " + current + " where its last applied write is "
                        + (chain.applied.isEmpty() ? "none" : chain.applied.get(chain.applied.size() - 1))
                        + " (" + lost + " acknowledged writes lost)");
            }
        });
        Map<String, Long> expectedCounts = new HashMap<>();
        load.counterMarks.forEach((key, chain) -> {
            String[] parts = key.split("/");
            expectedCounts.merge(parts[0], (long) chain.applied.size(), Long::sum);
            Map<String, AttributeValue> item = base.get(parts[0]);
            String mark = item == null || !item.containsKey("m" + parts[1]) ? null : item.get("m" + parts[1]).s();
            String last = chain.applied.isEmpty() ? null : chain.applied.get(chain.applied.size() - 1);
            if (!java.util.Objects.equals(mark, last)) {
                problems.add(key + ": the counter's mark is " + mark + " where the thread's last applied increment is " + last);
            }
        });
        expectedCounts.forEach((pk, expected) -> {
            Map<String, AttributeValue> item = base.get(pk);
            long n = item == null ? 0 : Long.parseLong(item.get("n").n());
            if (n != expected) {
                problems.add(pk + " counts " + n + " where " + expected + " increments were applied");
                lostWrites += Math.max(0, expected - n);
            }
        });
    }

    /** Every acknowledged transfer exists, none that was never sent does, and the balances match the transfers. */
    private Set<String> checkTransfers(Map<String, Map<String, AttributeValue>> base) {
        Set<String> present = new HashSet<>();
        Map<String, Long> balances = new HashMap<>();
        for (int a = 0; a < load.shape.accounts(); a++) {
            balances.put("acct-" + a, (long) MixedLoad.ACCOUNT_START);
        }
        base.forEach((pk, item) -> {
            if (pk.startsWith("xfer-")) {
                String id = item.get("w").s();
                present.add(id);
                long amount = Long.parseLong(item.get("amount").n());
                balances.merge("acct-" + item.get("from").n(), -amount, Long::sum);
                balances.merge("acct-" + item.get("to").n(), amount, Long::sum);
                transferAccounts.computeIfAbsent("acct-" + item.get("from").n(), k -> new ArrayList<>()).add(id);
                transferAccounts.computeIfAbsent("acct-" + item.get("to").n(), k -> new ArrayList<>()).add(id);
                if (!load.transfersAcknowledged.contains(id) && !load.transfersUnanswered.contains(id)) {
                    problems.add("transfer " + id + " exists but was never sent unanswered or acknowledged");
                }
            }
        });
        for (String id : load.transfersAcknowledged) {
            if (!present.contains(id)) {
                lostWrites++;
                problems.add("acknowledged transfer " + id + " is not in the table");
            }
        }
        balances.forEach((pk, expected) -> {
            Map<String, AttributeValue> item = base.get(pk);
            long balance = item == null ? Long.MIN_VALUE : Long.parseLong(item.get("balance").n());
            if (balance != expected) {
                problems.add(pk + " holds " + balance + " where its transfers make " + expected);
            }
        });
        return present;
    }

    /** Waits (a minute at most) until a Scan of the index shows exactly the table's items with a group. */
    private long checkIndex(long since) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> differences = List.of();
        while (System.currentTimeMillis() < deadline) {
            Map<String, Map<String, AttributeValue>> base = scan(null, true);
            Map<String, Map<String, AttributeValue>> index = scan(MixedLoad.INDEX, false);
            differences = new ArrayList<>();
            for (var e : base.entrySet()) {
                if (e.getValue().containsKey("g") && !e.getValue().equals(index.get(e.getKey()))) {
                    differences.add(e.getKey() + ": table " + e.getValue().get("w") + "/" + e.getValue().get("g")
                            + ", index " + (index.containsKey(e.getKey()) ? index.get(e.getKey()).get("w") : "none"));
                }
            }
            for (String pk : index.keySet()) {
                if (!base.containsKey(pk) || !base.get(pk).containsKey("g")) {
                    differences.add(pk + ": in the index, not in the table");
                }
            }
            if (differences.isEmpty()) {
                return System.currentTimeMillis() - since;
            }
            Thread.sleep(500);
        }
        problems.add("the index differs from the table in " + differences.size() + " items, e.g. " + differences.get(0));
        return -1;
    }

    /**
     * The stream once it has a record of every applied write of the items and counters, or as it is after
     * a minute and a half. A record is published after its write is acknowledged (from the page's outbox,
     * or from the pending set when that publication failed), so the writes the load made last, or made
     * while no broker ran, may reach the stream a little after the load stopped, as on DynamoDB; only a
     * record still missing then is missing. How long the stream took is printed when it had to be waited for.
     */
    private StreamHistory caughtUpStream(long stopped) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        int reads = 0;
        while (true) {
            StreamHistory stream = StreamHistory.read(endpoint, dynamo, load.table);
            reads++;
            List<String> behind = notYetInStream(stream);
            if (behind.isEmpty() || System.currentTimeMillis() >= deadline) {
                if (reads > 1) {
                    System.out.println("fault suite: " + load.table + ": the stream " + (behind.isEmpty()
                            ? "had a record of every applied write " : "still lacks " + behind.size() + " records ")
                            + (System.currentTimeMillis() - stopped) + " ms after the load stopped (read " + reads + " times)");
                }
                return stream;
            }
            if (reads == 1) {
                System.out.println("fault suite: " + load.table + ": the stream has no record yet of " + behind.size()
                        + " applied writes, e.g. " + behind.get(0) + ", " + (System.currentTimeMillis() - stopped)
                        + " ms after the load stopped; reading it again");
            }
            Thread.sleep(1_000);
        }
    }

    /** Applied writes of the items and counters that the stream read has no record of. */
    private List<String> notYetInStream(StreamHistory stream) {
        List<String> behind = new ArrayList<>();
        Map<String, List<String>> applied = new HashMap<>();
        load.items.forEach((pk, chain) -> applied.computeIfAbsent(pk, k -> new ArrayList<>()).addAll(chain.applied));
        load.counterMarks.forEach((key, chain) -> applied.computeIfAbsent(key.split("/")[0], k -> new ArrayList<>())
                .addAll(chain.applied));
        applied.forEach((pk, writes) -> {
            Set<String> got = new HashSet<>();
            for (StreamHistory.Change c : stream.of(pk)) {
                got.add(c.write());
            }
            for (String w : writes) {
                if (!got.contains(w)) {
                    behind.add(pk + " " + w);
                }
            }
        });
        return behind;
    }

    /** One record per applied write, in order per item, and nothing else. */
    private void checkStream(StreamHistory stream, Set<String> transfers, Set<String> expired) {
        Map<String, List<String>> expected = new HashMap<>();
        load.items.forEach((pk, chain) -> expected.put(pk, chain.applied));
        Map<String, List<String>> counters = new HashMap<>();
        load.counterMarks.forEach((key, chain) -> counters.computeIfAbsent(key.split("/")[0], k -> new ArrayList<>())
                .addAll(chain.applied));
        for (int a = 0; a < load.shape.accounts(); a++) {
            expected.put("acct-" + a, new ArrayList<>(List.of("init")));
        }
        for (String id : transfers) {
            expected.put("xfer-" + id, List.of(id));
        }
        for (var e : stream.byItem.entrySet()) {
            String pk = e.getKey();
            List<String> writes = new ArrayList<>();
            for (StreamHistory.Change c : e.getValue()) {
                if (c.write() != null) {
                    writes.add(c.write());
                }
            }
            long distinct = writes.stream().distinct().count();
            if (distinct < writes.size()) {
                duplicateRecords += writes.size() - distinct;
                problems.add(pk + ": " + (writes.size() - distinct) + " duplicate stream records: " + writes);
            }
            if (pk.startsWith("probe-")) {
                continue; // a write that tells the stream flows again: one record, checked for duplicates above
            }
            if (pk.startsWith("ttl-")) {
                if (expired.contains(pk) && e.getValue().stream().noneMatch(StreamHistory.Change::byTimeToLive)) {
                    problems.add(pk + ": no Time to Live REMOVE record");
                }
                continue;
            }
            if (pk.startsWith("counter-")) {
                compareAsSet(pk, writes, counters.getOrDefault(pk, List.of()));
                continue;
            }
            if (pk.startsWith("acct-")) {
                continue; // below, against the transfers that exist
            }
            List<String> want = expected.getOrDefault(pk, List.of());
            List<String> got = writes.stream().distinct().toList();
            if (!got.equals(want)) {
                long missing = want.stream().filter(w -> !got.contains(w)).count();
                missingRecords += missing;
                problems.add(pk + ": stream " + got + ", applied writes " + want);
            }
        }
        for (var e : expected.entrySet()) {
            if (!stream.byItem.containsKey(e.getKey()) && !e.getValue().isEmpty()) {
                missingRecords += e.getValue().size();
                problems.add(e.getKey() + ": no stream record for applied writes " + e.getValue());
            }
        }
        // each account: its first put and every transfer that exists and touched it, once each
        Map<String, List<String>> accounts = new HashMap<>();
        for (int a = 0; a < load.shape.accounts(); a++) {
            accounts.put("acct-" + a, new ArrayList<>(List.of("init")));
        }
        transferAccounts.forEach((pk, ids) -> accounts.get(pk).addAll(ids));
        accounts.forEach((pk, want) -> compareAsSet(pk, stream.of(pk).stream().map(StreamHistory.Change::write)
                .filter(java.util.Objects::nonNull).toList(), want));
    }

    /** account -> ids of the transfers (that exist) that touched it */
    private final Map<String, List<String>> transferAccounts = new HashMap<>();

    private void compareAsSet(String pk, List<String> got, List<String> want) {
        Set<String> g = new HashSet<>(got);
        Set<String> w = new HashSet<>(want);
        if (!g.equals(w)) {
            Set<String> missing = new HashSet<>(w);
            missing.removeAll(g);
            Set<String> extra = new HashSet<>(g);
            extra.removeAll(w);
            missingRecords += missing.size();
            problems.add(pk + ": stream records missing " + missing + ", unexpected " + extra);
        }
        // each writer's writes in the order it made them
        Map<String, List<String>> byWriter = new HashMap<>();
        for (String write : got) {
            byWriter.computeIfAbsent(write.split("[:-]")[0], k -> new ArrayList<>()).add(write);
        }
        byWriter.forEach((writer, writes) -> {
            for (int i = 1; i < writes.size(); i++) {
                if (sequence(writes.get(i)) <= sequence(writes.get(i - 1))) {
                    problems.add(pk + ": writer " + writer + "'s records out of order: " + writes);
                    break;
                }
            }
        });
    }

    private static long sequence(String write) {
        String[] parts = write.split("[:-]");
        return parts.length < 2 ? 0 : Long.parseLong(parts[parts.length - 1]);
    }

    /** Every item of the table (or of an index), by partition key. */
    private Map<String, Map<String, AttributeValue>> scan(String index, boolean consistent) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = load.untilAnswered(c -> c.scan(r -> r.tableName(load.table).indexName(index)
                    .consistentRead(consistent ? true : null).exclusiveStartKey(from)));
            page.items().forEach(i -> out.put(i.get("pk").s(), i));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
