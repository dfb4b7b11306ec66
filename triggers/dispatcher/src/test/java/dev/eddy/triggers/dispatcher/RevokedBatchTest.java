package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A partition given up (its lease lost, a rebalance) while a batch was handed to a delivery thread
 * that had not called the function yet: the batch ends unsettled, and the offset committed for the
 * next holder must not pass it. Before, a revoked shard dropped a stopped batch's unsettled records,
 * the committed offset moved past them, and the next holder never delivered them (fault scenario 2
 * in a loop: one record never reached the trigger after the maintenance instance's duties stopped
 * and were taken again).
 */
class RevokedBatchTest {
    private static final TopicPartition PARTITION = new TopicPartition("eddy.stream.T.1", 0);

    private static ChangeRecord record(long offset, String pk, int sequence) {
        String json = "{\"eventID\":\"e" + offset + "\",\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":\"" + pk + "\"}},"
                + "\"SequenceNumber\":\"" + sequence + "\",\"ApproximateCreationDateTime\":1}}";
        return ChangeRecord.decode(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset,
                pk.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)), System.nanoTime());
    }

    @Test
    void aBatchStoppedBeforeItsFirstCallIsNotCommittedPast() throws Exception {
        TriggerConfig config = TriggerConfig.of("revoked", Map.of("table", "T", "function-url", "http://127.0.0.1:9/",
                "bootstrap-servers", "127.0.0.1:9"));
        Shard shard = new Shard(PARTITION, 10, config);
        for (int i = 0; i < 3; i++) {
            shard.add(record(10 + i, "item-" + i, 100 + i));
        }
        List<BatchDelivery> opened = shard.openBatches(System.nanoTime(),
                (lane, batch, last) -> new BatchDelivery(config, null, null, new TriggerStats(), lane, batch, last));
        assertEquals(1, opened.size());
        BatchDelivery batch = opened.get(0);
        assertEquals(10, shard.committableOffset(), "a batch in flight holds the committed offset at its first record");

        // the lease goes before the delivery thread has called the function: the batch is told to stop,
        // its thread then runs it (it ends at once, nothing settled) and hands it back
        Thread revoking = new Thread(() -> {
            try {
                shard.revoke(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        revoking.start();
        while (!batch.stopping()) {
            Thread.sleep(1);
        }
        batch.run();
        shard.finished(batch);
        revoking.join();

        assertNotNull(batch.unsettled());
        assertEquals(3, batch.unsettled().size(), "the stopped batch settled nothing");
        assertEquals(10, shard.committableOffset(), "the next holder starts at the batch's first record");
    }
}
