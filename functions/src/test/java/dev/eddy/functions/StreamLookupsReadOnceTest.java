package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.Eddy;
import dev.eddy.core.stream.StreamConfig;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.StreamRecords;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.devstack.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Asking a topic which of a page's records it holds already (what every page whose send failed asks
 * before sending again, and the sweeper for each page a dead process left) reads each record of
 * the topic once across questions, not the topic's whole tail per question: after the fault
 * suite's 60 s outage of all brokers, thousands of pages each read the tail back to their oldest
 * record, and the backlog drained in time that grew with its square. A real Infinispan node and a
 * real Kafka broker in this JVM.
 */
class StreamLookupsReadOnceTest {
    /** 100 in CI; `-Dlookups.pages=1000` measures a larger backlog. */
    private static final int PAGES = Integer.getInteger("lookups.pages", 100);
    private static final int RECORDS_PER_PAGE = 10;
    private static EngineWithKafka stack;
    private static EmbeddedKafka kafka;
    private static Eddy eddy;

    @BeforeAll
    static void start() throws Exception {
        stack = EngineWithKafka.infrastructure("lookups");
        kafka = stack.kafka;
        eddy = stack.start(servers -> new StreamConfig(servers, 2, (short) 1, 500));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A page's records: one item each, sequence numbers from the given one on. */
    private static List<StreamRecords.Message> page(String topic, int page, long firstSequence, int count) {
        List<StreamRecords.Message> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = ("{\"pk\":{\"S\":\"item-" + page + "\"}}").getBytes(StandardCharsets.UTF_8);
            byte[] value = ("{\"dynamodb\":{\"SequenceNumber\":\"" + (firstSequence + i) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            out.add(new StreamRecords.Message(topic, key, value));
        }
        return out;
    }

    private static Set<String> keys(List<StreamRecords.Message> messages) {
        Set<String> out = new HashSet<>();
        for (StreamRecords.Message m : messages) {
            out.add(StreamPublisher.copyKey(m.topic(), m.key(), StreamRecords.sequenceOfValue(m.value())));
        }
        return out;
    }

    @Test
    void eachRecordIsReadOnceAcrossQuestions() {
        StreamPublisher publisher = eddy.streamPublisher();
        String topic = StreamTopics.topic("lookups", "20261206000000000");
        long first = System.currentTimeMillis() * 1000;
        List<List<StreamRecords.Message>> pages = new ArrayList<>();
        for (int p = 0; p < PAGES; p++) {
            List<StreamRecords.Message> page = page(topic, p, first + p * 100L, RECORDS_PER_PAGE);
            assertTrue(publisher.sendAll(page));
            pages.add(page);
        }
        int sent = PAGES * RECORDS_PER_PAGE * 2; // each record also goes to the table's changes topic

        long readBefore = publisher.lookupRecordsRead();
        long started = System.nanoTime();
        for (int p = 0; p < PAGES; p++) {
            List<StreamRecords.Message> page = new ArrayList<>(pages.get(p));
            List<StreamRecords.Message> unsent = page(topic, p, first + p * 100L + 50, 1);
            page.addAll(unsent);
            Set<String> there = publisher.onTopic(page);
            assertEquals(keys(pages.get(p)), there, "page " + p + ": its sent records are there, the unsent one is not");
        }
        long read = publisher.lookupRecordsRead() - readBefore;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(read <= sent, "each record read at most once for " + PAGES + " questions: " + read + " reads of "
                + sent + " records");

        // A record sent after the questions is found by the next one, which reads only what is new.
        List<StreamRecords.Message> late = page(topic, PAGES, first + PAGES * 100L, RECORDS_PER_PAGE);
        assertTrue(publisher.sendAll(late));
        long beforeLate = publisher.lookupRecordsRead();
        assertEquals(keys(late), publisher.onTopic(late));
        long lateReads = publisher.lookupRecordsRead() - beforeLate;
        assertEquals(RECORDS_PER_PAGE * 2, lateReads, "only the records appended since were read");
        System.out.printf("stream lookups: %d questions read %d records of %d on the topics in %d ms%n", PAGES, read,
                sent, millis);
    }
}
