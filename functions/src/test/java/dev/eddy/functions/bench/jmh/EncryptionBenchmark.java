package dev.eddy.functions.bench.jmh;

import dev.eddy.core.Eddy;
import dev.eddy.core.EddyConfig;
import dev.eddy.core.Role;
import dev.eddy.core.encryption.EncryptionConfig;
import dev.eddy.core.encryption.MasterKeys;
import dev.eddy.core.storage.EntrySeal;
import dev.eddy.core.StorageConfig;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.devstack.EmbeddedInfinispan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What encryption at rest costs a request: GetItem and PutItem as the function runs them, minus
 * HTTP, against the embedded default's Infinispan node (Hot Rod on loopback, file store written
 * through), with encryption at rest off and on. An eventually consistent GetItem of a warm key is a
 * near-cache hit, so it shows the cost of opening a sealed value alone; a consistent one adds a
 * round trip; a PutItem opens the page it reads and seals the one it writes. {@code sealPage} and
 * {@code openPage} time the layer alone on a stored page of one such item (about 1.1 KB): with
 * encryption off they pass it through.
 */
@State(Scope.Benchmark)
public class EncryptionBenchmark extends Microbenchmark {
    private static final String TABLE = "usertable";
    private static final int KEYS = 1_000;

    @Param({"off", "on"})
    public String encryption;

    private Path dataDir;
    private EmbeddedInfinispan infinispan;
    private Eddy eddy;
    private byte[][] eventualGets;
    private byte[][] consistentGets;
    private byte[][] puts;
    /** Where field0's value starts in every put body (the key is "user" and up to 3 digits, padded below). */
    private static final int FIELD_ZERO_AT = ("{\"TableName\":\"" + TABLE + "\",\"Item\":{\"ycsb_key\":{\"S\":\"user000\"},"
            + "\"field0\":{\"S\":\"").length();

    @Setup(Level.Trial)
    public void start() throws Exception {
        dataDir = Files.createTempDirectory("eddy-jmh-encryption");
        infinispan = EmbeddedInfinispan.start(EmbeddedInfinispan.Options.standalone(dataDir.resolve("node"), 0));
        EddyConfig config = new EddyConfig("us-east-1", "000000000000", Role.ALL, new StorageConfig(
                infinispan.hotRodAddress(), StorageConfig.DEFAULT_TEMPLATE, StorageConfig.DEFAULT_NEAR_CACHE_BYTES,
                StorageConfig.DEFAULT_PAGE_BYTES), TimeUnit.MINUTES.toMillis(5), StreamConfig.none(),
                TimeUnit.SECONDS.toMillis(30), TimeUnit.SECONDS.toMillis(10));
        if (encryption.equals("on")) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path file = dataDir.resolve("master-keys.json");
            Files.writeString(file, "{\"keys\":[{\"id\":\"bench\",\"key\":\"" + Base64.getEncoder().encodeToString(key)
                    + "\"}]}");
            config = config.withEncryption(new EncryptionConfig(MasterKeys.read(file), 0));
        }
        eddy = new Eddy(config);
        eddy.execute("CreateTable", ("{\"TableName\":\"" + TABLE + "\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"KeySchema\":[{\"AttributeName\":\"ycsb_key\",\"KeyType\":\"HASH\"}],"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"ycsb_key\",\"AttributeType\":\"S\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        eventualGets = new byte[KEYS][];
        consistentGets = new byte[KEYS][];
        puts = new byte[KEYS][];
        StringBuilder fields = new StringBuilder();
        for (int f = 0; f < 10; f++) {
            fields.append(",\"field").append(f).append("\":{\"S\":\"")
                    .append(Character.toString('a' + f).repeat(100)).append("\"}");
        }
        for (int i = 0; i < KEYS; i++) {
            String id = String.format("user%03d", i);
            String key = "{\"ycsb_key\":{\"S\":\"" + id + "\"}";
            eventualGets[i] = ("{\"TableName\":\"" + TABLE + "\",\"Key\":" + key + "}}").getBytes(StandardCharsets.UTF_8);
            consistentGets[i] = ("{\"TableName\":\"" + TABLE + "\",\"ConsistentRead\":true,\"Key\":" + key + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            puts[i] = ("{\"TableName\":\"" + TABLE + "\",\"Item\":{\"ycsb_key\":{\"S\":\"" + id + "\"}" + fields
                    + "}}").getBytes(StandardCharsets.UTF_8);
            eddy.execute("PutItem", puts[i]);
        }
        pages();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        eddy.close();
        infinispan.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int anyKey() {
        return ThreadLocalRandom.current().nextInt(KEYS);
    }

    @Benchmark
    public byte[] getItemEventual() {
        return eddy.execute("GetItem", eventualGets[anyKey()]);
    }

    @Benchmark
    public byte[] getItemConsistent() {
        return eddy.execute("GetItem", consistentGets[anyKey()]);
    }

    private EntrySeal tableSeal;
    private byte[] pageKey;
    private byte[] page;
    private byte[] sealedPage;

    /** A page as stored, the table's seal on it (JMH runs several setups of a level in no set order: one). */
    private void pages() {
        tableSeal = eddy.encryption().sealOf(eddy.catalog().find(TABLE).cacheName());
        pageKey = "ycsb_key/user000".getBytes(StandardCharsets.UTF_8);
        page = new byte[1_100];
        ThreadLocalRandom.current().nextBytes(page);
        sealedPage = tableSeal.seal(pageKey, page);
    }

    @Benchmark
    public byte[] sealPage() {
        return tableSeal.seal(pageKey, page);
    }

    @Benchmark
    public byte[] openPage() {
        return tableSeal.open(pageKey, sealedPage);
    }

    private long version;

    /** Each put changes the item (an identical one is not stored again), by its first 8 characters. */
    @Benchmark
    public byte[] putItem() {
        byte[] body = puts[anyKey()].clone();
        byte[] stamp = String.format("%08d", version++ % 100_000_000).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(stamp, 0, body, FIELD_ZERO_AT, stamp.length);
        return eddy.execute("PutItem", body);
    }


}
