package dev.eddy.triggers.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.triggers.model.DynamodbStreamRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * A table's changes read straight from Kafka, with no trigger machinery: SmallRye Reactive
 * Messaging's Kafka connector on the table's changes topic ({@code eddy.changes.<TableName>}, channel
 * {@code order-changes} in application.properties). What any consumer must do with Eddy's stream:
 * <ul>
 * <li>per-item order comes from Kafka: an item's records share its key, so one partition, read in
 * order (the connector hands this synchronous method one record at a time);</li>
 * <li>the stream is at least once: after a crash the same change (same key, same SequenceNumber) can
 * be on the topic twice, so a record whose SequenceNumber is not above the item's last is dropped.
 * SequenceNumbers only grow per item, across the table's streams too.</li>
 * </ul>
 * Here each order's changes are kept as {@code eventName:SequenceNumber}, newest last.
 */
@ApplicationScoped
public class OrderChanges {
    private static final Logger LOG = Logger.getLogger(OrderChanges.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, BigInteger> lastSequence = new ConcurrentHashMap<>();
    private final Map<String, List<String>> history = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();

    @Incoming("order-changes")
    public void change(ConsumerRecord<String, String> record) {
        DynamodbStreamRecord change;
        try {
            change = JSON.readValue(record.value(), DynamodbStreamRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a stream record at offset " + record.offset(), e);
        }
        String item = record.key(); // the item's key in DynamoDB JSON
        BigInteger sequence = new BigInteger(change.dynamodb().sequenceNumber());
        BigInteger last = lastSequence.get(item);
        if (last != null && sequence.compareTo(last) <= 0) {
            duplicates.incrementAndGet();
            LOG.debugf("Dropped a copy of %s %s", item, change.dynamodb().sequenceNumber());
            return;
        }
        lastSequence.put(item, sequence);
        history.computeIfAbsent(item, k -> new CopyOnWriteArrayList<>())
                .add(change.eventName() + ":" + change.dynamodb().sequenceNumber());
    }

    /** Each item's changes in the order taken, by the item's key in DynamoDB JSON. */
    public Map<String, List<String>> history() {
        return history;
    }

    /** Copies dropped so far. */
    public long duplicates() {
        return duplicates.get();
    }
}
