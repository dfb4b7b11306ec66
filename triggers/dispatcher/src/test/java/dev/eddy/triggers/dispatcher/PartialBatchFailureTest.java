package dev.eddy.triggers.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.triggers.dispatcher.TriggerEndpoint.Answer;
import dev.eddy.triggers.model.StreamsEventResponse;
import dev.eddy.triggers.model.StreamsEventResponse.BatchItemFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ReportBatchItemFailures: a function names the records it could not process. */
class PartialBatchFailureTest extends DispatcherTestBase {

    private static final String[] REPORTING = {"function-response-types", "ReportBatchItemFailures",
        "maximum-batching-window-in-seconds", "1"};

    @Test
    void aReportedFailureRetriesFromTheEarliestFailedRecord() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        function.answer(event -> {
            if (calls.incrementAndGet() > 1) {
                return Answer.ok();
            }
            // r4 and r3 failed: the earliest one decides
            return new Answer(200, new StreamsEventResponse(List.of(
                    new BatchItemFailure(event.records().get(3).dynamodb().sequenceNumber()),
                    new BatchItemFailure(event.records().get(2).dynamodb().sequenceNumber()))));
        });
        fiveRecords();
        start(settings(REPORTING));

        await("2 invocations", () -> function.invocations().size() == 2);
        assertEquals(List.of("r3", "r4", "r5"), function.invocations().get(1).pks());
        settle();
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), function.processed().stream().map(TriggerEndpoint::pk).toList());
    }

    @Test
    void withoutReportBatchItemFailuresTheAnswerIsIgnored() throws Exception {
        function.answer(event -> Answer.failedFrom(event.records().get(2)));
        fiveRecords();
        TriggerDispatcher dispatcher = start(settings("maximum-batching-window-in-seconds", "1"));
        await("5 delivered", () -> dispatcher.stats().delivered() == 5);
        settle();
        assertEquals(1, function.invocations().size());
    }

    @Test
    void anIdentifierThatIsNotInTheBatchFailsTheWholeBatch() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        function.answer(event -> calls.incrementAndGet() == 1
                ? new Answer(200, new StreamsEventResponse(List.of(new BatchItemFailure("999999"))))
                : Answer.ok());
        fiveRecords();
        start(settings(REPORTING));
        await("2 invocations", () -> function.invocations().size() == 2);
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), function.invocations().get(1).pks());
    }

    @Test
    void anEmptyFailureListIsSuccess() throws Exception {
        function.answer(event -> new Answer(200, StreamsEventResponse.success()));
        fiveRecords();
        TriggerDispatcher dispatcher = start(settings(REPORTING));
        await("5 delivered", () -> dispatcher.stats().delivered() == 5);
        settle();
        assertEquals(1, function.invocations().size());
    }

    @Test
    void withBisectAReportedFailureRetriesTheRestWithoutHalvingIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        function.answer(event -> calls.incrementAndGet() == 1 ? Answer.failedFrom(event.records().get(1)) : Answer.ok());
        fiveRecords();
        start(settings("function-response-types", "ReportBatchItemFailures", "bisect-batch-on-function-error", "true",
                "maximum-batching-window-in-seconds", "1"));
        await("2 invocations", () -> function.invocations().size() == 2);
        assertEquals(List.of("r2", "r3", "r4", "r5"), function.invocations().get(1).pks());
    }

    @Test
    void whenRetriesRunOutOnlyTheUnprocessedRecordsAreGivenUpOn() throws Exception {
        function.answer(event -> TriggerEndpoint.contains(event, "r4")
                ? Answer.failedFrom(event.records().stream().filter(r -> TriggerEndpoint.pk(r).equals("r4")).findFirst().orElseThrow())
                : Answer.ok());
        fiveRecords();
        TriggerDispatcher dispatcher = start(settings("function-response-types", "ReportBatchItemFailures",
                "maximum-retry-attempts", "1", "maximum-batching-window-in-seconds", "1"));
        await("r4 and r5 given up on", () -> dispatcher.stats().discarded() == 2);
        assertEquals(List.of("r1", "r2", "r3"), function.processed().stream().map(TriggerEndpoint::pk).toList());
        assertEquals(List.of("r4", "r5"), function.invocations().get(1).pks());
    }

    private void fiveRecords() {
        ChangeFeed feed = feed(1);
        IntStream.rangeClosed(1, 5).forEach(i -> feed.put("r" + i, i)); // distinct SequenceNumbers, as in one shard
        feed.flush();
    }
}
