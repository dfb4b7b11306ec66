package dev.eddy.functions.bench.jmh;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.core.table.TableDefinition;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The storage engine's read and write paths ({@link ItemStore}) against a real Infinispan server:
 * the embedded default's node (Hot Rod on loopback, file store written through), started in the
 * benchmark's JVM. An eventually consistent get of a warm key is a near-cache hit inside the
 * function; a consistent get is one Hot Rod round trip; a write is a versioned read and a
 * compare-and-set. {@code getItemRequest} is a whole GetItem as the function runs it, minus HTTP.
 */
@State(Scope.Benchmark)
public class ItemStoreBenchmark extends Microbenchmark {
    private static final String TABLE = "usertable";
    private static final int KEYS = 1_000;

    private Path dataDir;
    private EmbeddedInfinispan infinispan;
    private Eddy eddy;
    private ItemStore items;
    private TableDefinition table;
    private PrimaryKey[] keys;
    private byte[][] getItemRequests;
    private long version;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dataDir = Files.createTempDirectory("eddy-jmh");
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(dataDir, 0));
        // The application's defaults, without Kafka: the benchmark table has no stream.
        eddy = new Eddy(new EddyConfig("us-east-1", "000000000000", dev.eddy.core.Role.ALL, new StorageConfig(infinispan.hotRodAddress(),
                StorageConfig.DEFAULT_TEMPLATE, StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES), TimeUnit.MINUTES.toMillis(5),
                StreamConfig.none(), TimeUnit.SECONDS.toMillis(30), TimeUnit.SECONDS.toMillis(10)));
        eddy.execute("CreateTable", ("{\"TableName\":\"" + TABLE + "\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"ycsb_key\",\"KeyType\":\"HASH\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"ycsb_key\",\"AttributeType\":\"S\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        items = eddy.items();
        table = eddy.catalog().find(TABLE);
        keys = new PrimaryKey[KEYS];
        getItemRequests = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            String key = "user" + i;
            keys[i] = new PrimaryKey(AttributeValue.s(key), null);
            getItemRequests[i] = ("{\"TableName\":\"" + TABLE + "\",\"Key\":{\"ycsb_key\":{\"S\":\"" + key + "\"}}}")
                    .getBytes(StandardCharsets.UTF_8);
            Map<String, AttributeValue> item = BenchItems.ycsb(key);
            items.write(table, keys[i], current -> item);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        eddy.close();
        infinispan.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private PrimaryKey anyKey() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    public Map<String, AttributeValue> getEventual() {
        return items.get(table, anyKey(), false);
    }

    @Benchmark
    public Map<String, AttributeValue> getConsistent() {
        return items.get(table, anyKey(), true);
    }

    /** Replaces one field, so that every write changes the item and is stored. */
    @Benchmark
    public ItemStore.WriteResult write() {
        AttributeValue value = AttributeValue.s("v" + version++);
        return items.write(table, anyKey(), current -> {
            Map<String, AttributeValue> next = new HashMap<>(current);
            next.put("field0", value);
            return next;
        });
    }

    @Benchmark
    public byte[] getItemRequest() {
        return eddy.execute("GetItem", getItemRequests[ThreadLocalRandom.current().nextInt(KEYS)]);
    }
}
