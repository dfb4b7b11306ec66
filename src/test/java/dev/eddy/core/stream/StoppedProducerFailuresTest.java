package dev.eddy.core.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The producer is shared by every sender of a process and stops at its first failed record; the
 * others' sends then fail as "closed". Whether Kafka is out of reach (writes then leave their
 * records to the retry pass instead of each waiting out a send) is told by what stopped it: in the
 * fault suite's outage, senders that met the stopped producer said "Kafka answers", and writers went
 * on trying Kafka, each holding a write-completion worker for seconds.
 */
class StoppedProducerFailuresTest {
    private static StreamPublisher.Producer producer() {
        // Nothing listens there: a producer connects only when it sends.
        return StreamPublisher.Producer.open(new StreamConfig("127.0.0.1:1", 1, (short) 1, 500));
    }

    @Test
    void aSendFailingOnAProducerStoppedByAnOutageSaysKafkaIsAway() {
        StreamPublisher.Producer p = producer();
        try {
            KafkaException closed = new KafkaException("Producer is closed forcefully.");
            assertFalse(p.unreachable(closed), "closed, nothing known of why");
            p.stopWhenFailed().onCompletion(null, new TimeoutException("Timeout expired while fetching topic metadata"));
            assertTrue(p.unreachable(closed), "closed because Kafka was out of reach");
        } finally {
            p.kafka().close(java.time.Duration.ZERO);
        }
    }

    @Test
    void aSendFailingOnAProducerStoppedByARefusedRecordDoesNot() {
        StreamPublisher.Producer p = producer();
        try {
            p.stopWhenFailed().onCompletion(null, new RecordTooLargeException("too large"));
            assertFalse(p.unreachable(new KafkaException("Producer is closed forcefully.")),
                    "a record Kafka refuses must not hold the others back");
        } finally {
            p.kafka().close(java.time.Duration.ZERO);
        }
    }
}
