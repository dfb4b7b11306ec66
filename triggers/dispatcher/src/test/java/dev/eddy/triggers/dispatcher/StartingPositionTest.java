package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** StartingPosition, resuming from committed offsets, and finding a table's stream topic. */
class StartingPositionTest extends DispatcherTestBase {

    @Test
    void trimHorizonDeliversRecordsWrittenBeforeTheTriggerStarted() throws Exception {
        feed(1).put("old-1", 1).put("old-2", 1).flush();
        start(settings("starting-position", "TRIM_HORIZON"));
        await("2 records", () -> function.processed().size() == 2);
        assertEquals(List.of("old-1", "old-2"), function.processed().stream().map(TriggerEndpoint::pk).toList());
    }

    @Test
    void latestSkipsRecordsWrittenBeforeTheTriggerStarted() throws Exception {
        ChangeFeed feed = feed(1).put("old-1", 1).put("old-2", 1).flush();
        start(settings("starting-position", "LATEST"));
        feed.put("new-1", 1).flush();
        await("the new record", () -> function.processed().size() == 1);
        settle();
        assertEquals(List.of("new-1"), function.processed().stream().map(TriggerEndpoint::pk).toList());
    }

    @Test
    void restartResumesWhereTheTriggerStopped() throws Exception {
        ChangeFeed feed = feed(2);
        Map<String, String> settings = settings("starting-position", "LATEST");
        TriggerDispatcher first = start(settings);
        feed.put("a", 1).put("b", 1).flush();
        await("2 records", () -> function.processed().size() == 2);
        first.close();

        // written while the trigger is down: LATEST applies to the first start only
        feed.put("c", 1).put("a", 2).flush();
        start(settings);
        await("4 records", () -> function.processed().size() == 4);
        settle();
        assertEquals(List.of("a#000000000000000000001", "b#000000000000000000001", "c#000000000000000000001",
                "a#000000000000000000002"), sortedChanges());
    }

    @Test
    void aTableResolvesToItsNewestStreamTopic() throws Exception {
        String table = "T" + name;
        KafkaBroker.createTopic(StreamTopics.prefix(table) + "100", 1);
        KafkaBroker.createTopic(StreamTopics.prefix(table) + "x.900", 1); // table "T...x", not ours
        topic = StreamTopics.prefix(table) + "200";
        ChangeFeed current = feed(1);
        try (ChangeFeed old = new ChangeFeed(StreamTopics.prefix(table) + "100")) {
            old.put("from-old-stream", 1).flush();
        }
        current.put("from-current-stream", 1).flush();

        Map<String, String> settings = settings("table", table);
        settings.remove("topic");
        TriggerDispatcher dispatcher = start(settings);

        assertEquals(topic, dispatcher.awaitAssignment(Duration.ofSeconds(1)));
        await("the record", () -> function.processed().size() == 1);
        assertEquals("from-current-stream", TriggerEndpoint.pk(function.processed().get(0)));
    }

    @Test
    void aTopicCreatedAfterTheTriggerStartedIsReadFromItsFirstRecord() throws Exception {
        Map<String, String> settings = settings("table", "T" + name, "starting-position", "LATEST");
        settings.remove("topic");
        TriggerDispatcher dispatcher = closing(TriggerDispatcher.start(TriggerConfig.of(name, settings),
                KafkaBroker.bootstrapServers()));
        Thread.sleep(300); // the trigger is now waiting for its table's stream
        feed(1).put("first", 1).flush();

        dispatcher.awaitAssignment(WAIT);
        await("the first record", () -> function.processed().size() == 1);
    }

    private List<String> sortedChanges() {
        return function.processedChanges().stream().sorted((x, y) -> {
            int bySeq = x.substring(x.indexOf('#')).compareTo(y.substring(y.indexOf('#')));
            return bySeq != 0 ? bySeq : x.compareTo(y);
        }).toList();
    }
}
