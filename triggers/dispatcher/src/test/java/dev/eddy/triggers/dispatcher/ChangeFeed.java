package dev.eddy.triggers.dispatcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes change records to a topic exactly as the record contract has Eddy's publisher write
 * them: key = the item's key in DynamoDB JSON, value = the DynamoDB Streams record with
 * eventSourceARN. Items here have one string key attribute, {@code pk}.
 */
final class ChangeFeed implements AutoCloseable {

    private static final AtomicLong EVENT_IDS = new AtomicLong();

    private final String topic;
    private final String table;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Future<RecordMetadata>> sends = new ArrayList<>();

    ChangeFeed(String topic) {
        this(topic, "Orders");
    }

    ChangeFeed(String topic, String table) {
        this.topic = topic;
        this.table = table;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** An INSERT (sequence 1) or MODIFY of item {@code pk}, written now. */
    ChangeFeed put(String pk, long sequence) {
        return put(pk, sequence, System.currentTimeMillis() / 1000.0);
    }

    /** As {@link #put(String, long)}, with the change's ApproximateCreationDateTime in epoch seconds. */
    ChangeFeed put(String pk, long sequence, double createdAtSeconds) {
        return send(null, pk, record(pk, sequence, createdAtSeconds, null));
    }

    /** As {@link #put(String, long)}, into one chosen partition. */
    ChangeFeed putInto(int partition, String pk, long sequence) {
        return send(partition, pk, record(pk, sequence, System.currentTimeMillis() / 1000.0, null));
    }

    /** As {@link #put(String, long)}, with one more string attribute in the new image. */
    ChangeFeed putWith(String pk, long sequence, String attribute, String value) {
        return send(null, pk, record(pk, sequence, System.currentTimeMillis() / 1000.0, new String[] {attribute, value}));
    }

    /** A raw value under item {@code pk}'s key, for records that break the contract. */
    ChangeFeed raw(String pk, String value) {
        return send(null, pk, value);
    }

    private ChangeFeed send(Integer partition, String pk, String value) {
        byte[] key = keyJson(pk).toString().getBytes(StandardCharsets.UTF_8);
        sends.add(producer.send(new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8))));
        return this;
    }

    /** Waits until every record sent so far is on the topic; a record that could not be written fails the test. */
    ChangeFeed flush() {
        producer.flush();
        try {
            for (Future<RecordMetadata> sent : sends) {
                sent.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("a change record did not reach " + topic, e);
        }
        sends.clear();
        return this;
    }

    /** The record contract's value for a change of {@code pk} to version {@code sequence}. */
    String record(String pk, long sequence, double createdAtSeconds, String[] extra) {
        ObjectNode r = TriggerEndpoint.JSON.createObjectNode();
        r.put("eventID", "ev-" + EVENT_IDS.incrementAndGet());
        r.put("eventName", sequence == 1 ? "INSERT" : "MODIFY");
        r.put("eventVersion", "1.1");
        r.put("eventSource", "aws:dynamodb");
        r.put("awsRegion", "us-east-1");
        r.put("eventSourceARN", "arn:aws:dynamodb:us-east-1:000000000000:table/" + table
                + "/stream/2026-01-01T00:00:00.000");
        ObjectNode change = r.putObject("dynamodb");
        change.put("ApproximateCreationDateTime", createdAtSeconds);
        change.set("Keys", keyJson(pk));
        ObjectNode image = change.putObject("NewImage");
        image.putObject("pk").put("S", pk);
        image.putObject("version").put("N", String.valueOf(sequence));
        if (extra != null) {
            image.putObject(extra[0]).put("S", extra[1]);
        }
        if (sequence > 1) {
            ObjectNode old = change.putObject("OldImage");
            old.putObject("pk").put("S", pk);
            old.putObject("version").put("N", String.valueOf(sequence - 1));
        }
        change.put("SequenceNumber", String.format("%021d", sequence));
        change.put("SizeBytes", 40);
        change.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        return r.toString();
    }

    private static ObjectNode keyJson(String pk) {
        ObjectNode key = TriggerEndpoint.JSON.createObjectNode();
        key.putObject("pk").put("S", pk);
        return key;
    }

    @Override
    public void close() {
        producer.close();
    }
}
