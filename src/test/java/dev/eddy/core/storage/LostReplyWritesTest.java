package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.Unavailability;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.PrimaryKey;
import dev.eddy.core.table.TableDefinition;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes whose compare-and-set applied on the node but whose reply was lost (the connection closed
 * before it, as when the server is killed): the Hot Rod client retries the compare-and-set, which
 * then finds the version moved by that very write. The write must count as done once: an ADD is not
 * applied a second time, a condition met by the first attempt is not refused afterwards, a create is
 * not taken for someone else's. Issue 15.
 */
class LostReplyWritesTest {
    private static TestNode node;
    private static ItemStore items;

    @BeforeAll
    static void start() {
        node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);
        items = node.items(StorageConfig.DEFAULT_PAGE_BYTES);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static final AttributeValue PK = AttributeValue.s("counter");
    private static final PrimaryKey KEY = new PrimaryKey(PK, AttributeValue.n("1"));

    private static Map<String, AttributeValue> counter(long n) {
        return Map.of("pk", PK, "sk", AttributeValue.n("1"), "n", AttributeValue.n(Long.toString(n)));
    }

    private static long count(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get("n").n());
    }

    /** UpdateItem's {@code ADD n :one}: read, add, compare-and-set; again from the read on a lost race. */
    private static final ItemStore.ItemChange ADD_ONE = current -> counter(current == null ? 1 : count(current) + 1);

    private static ItemStore.WriteResult write(boolean waits, TableDefinition t, ItemStore.ItemChange change) {
        return waits ? items.write(t, KEY, change) : items.writeAsync(t, KEY, change, Runnable::run).join();
    }

    /** A table holding the counter at {@code n}, its page in this instance's near cache. */
    private static TableDefinition counterAt(long n) {
        TableDefinition t = Fixtures.table(node, true);
        items.write(t, KEY, current -> counter(n));
        assertEquals(counter(n), items.get(t, KEY, false));
        return t;
    }

    private static void loseNextReply(TableDefinition t, int otherWritesBeforeTheRetry) {
        node.loseReplyOfNextWrite(t.cacheName(), CollectionSpace.of(t).partition(PK), otherWritesBeforeTheRetry);
    }

    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void anAddWhoseReplyWasLostIsAppliedOnce(boolean waits) {
        TableDefinition t = counterAt(0);
        int lost = node.repliesLost();
        loseNextReply(t, 0);
        ItemStore.WriteResult r = write(waits, t, ADD_ONE);
        assertEquals(lost + 1, node.repliesLost(), "the node lost the reply");
        assertEquals(counter(1), r.newItem());
        assertEquals(counter(1), items.get(t, KEY, true));
    }

    /**
     * A node stopping under a write once answered its replace with an error of its own (a rolling
     * restart in the fault suite: a NullPointerException on the server, a 500 to the client) while the
     * write may have applied. The write is tried again under its mark, so it applies exactly once and
     * the request gets its answer.
     */
    @ParameterizedTest(name = "may wait: {0}, applied before the error: {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void anAddTheServerFailedWithAnErrorOfItsOwnIsSettledAndAppliedOnce(boolean waits, boolean applied) {
        TableDefinition t = counterAt(0);
        int failed = node.replacesFailed();
        node.failNextReplace(t.cacheName(), CollectionSpace.of(t).partition(PK), applied);
        ItemStore.WriteResult r = write(waits, t, ADD_ONE);
        assertEquals(failed + 1, node.replacesFailed(), "the server failed the replace");
        assertEquals(counter(1), r.newItem());
        assertEquals(counter(1), items.get(t, KEY, true));
    }

    /**
     * A node whose cache answers a compare-and-set with no result (a cache stopping under the write) fails
     * it with a NullPointerException of its Hot Rod server. Once is settled by trying again under the
     * write's mark; when the second attempt fails so too, the write's outcome is not known and it fails as
     * the store unavailable (ServiceUnavailable, which clients retry), not as an error of Eddy's (500).
     */
    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aWriteTheServerAnswersWithNoResultTwiceFailsAsUnavailable(boolean waits) {
        TableDefinition t = counterAt(0);
        node.answerNothingToReplaces(t.cacheName(), CollectionSpace.of(t).partition(PK), 2);
        Throwable failure = assertThrows(Throwable.class, () -> write(waits, t, ADD_ONE));
        assertTrue(String.valueOf(failure).contains("\"replaced\" is null") || String.valueOf(failure.getCause()).contains("\"replaced\" is null"),
                "the server's own error: " + failure);
        assertNotNull(Unavailability.reason(failure), "answered as the store unavailable: " + failure);
        assertEquals(counter(0), items.get(t, KEY, true), "not applied");

        node.answerNothingToReplaces(t.cacheName(), CollectionSpace.of(t).partition(PK), 1);
        assertEquals(counter(1), write(waits, t, ADD_ONE).newItem(), "once is settled by the second attempt");
        assertEquals(counter(1), items.get(t, KEY, true));
    }

    /**
     * A compare-and-set the servers answered "not done" although it applied (Infinispan's
     * non-transactional caches around a topology change; the client did not retry): its mark settles it,
     * so the ADD is applied once, not again by the next attempt.
     */
    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void anAddTheServersDeniedAfterApplyingIsAppliedOnce(boolean waits) {
        TableDefinition t = counterAt(0);
        int denied = node.replacesDenied();
        node.denyNextReplaceAfterApplying(t.cacheName(), CollectionSpace.of(t).partition(PK));
        ItemStore.WriteResult r = write(waits, t, ADD_ONE);
        assertEquals(denied + 1, node.replacesDenied(), "the servers answered the applied replace \"not done\"");
        assertEquals(counter(1), r.newItem());
        assertEquals(counter(1), items.get(t, KEY, true));
    }

    /** The same for a conditional write: the condition its own first attempt met is not refused afterwards. */
    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aConditionMetByAnAttemptTheServersDeniedAfterApplyingIsNotRefused(boolean waits) {
        TableDefinition t = counterAt(0);
        node.denyNextReplaceAfterApplying(t.cacheName(), CollectionSpace.of(t).partition(PK));
        ItemStore.WriteResult r = write(waits, t, current -> {
            if (current == null || count(current) != 0) {
                throw Errors.conditionalCheckFailed();
            }
            return counter(7);
        });
        assertEquals(counter(0), r.oldItem());
        assertEquals(counter(7), items.get(t, KEY, true));
    }

    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aConditionMetByTheAttemptWhoseReplyWasLostIsNotRefused(boolean waits) {
        TableDefinition t = counterAt(0);
        loseNextReply(t, 0);
        // ConditionExpression "n = :zero", SET n = :seven
        ItemStore.WriteResult r = write(waits, t, current -> {
            if (current == null || count(current) != 0) {
                throw Errors.conditionalCheckFailed();
            }
            return counter(7);
        });
        assertEquals(counter(0), r.oldItem());
        assertEquals(counter(7), items.get(t, KEY, true));
    }

    @Test
    void aCreateWhoseReplyWasLostIsNotTakenForAnotherWritersItem() {
        TableDefinition t = Fixtures.table(node, true);
        loseNextReply(t, 0);
        // PutItem with ConditionExpression attribute_not_exists(pk) on a partition not stored yet
        ItemStore.WriteResult r = items.write(t, KEY, current -> {
            if (current != null) {
                throw Errors.conditionalCheckFailed();
            }
            return counter(1);
        });
        assertNull(r.oldItem());
        assertEquals(counter(1), items.get(t, KEY, true));
    }

    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void anAddWhoseValueAnotherWriterReplacedBeforeTheRetryIsStillAppliedOnce(boolean waits) {
        TableDefinition t = counterAt(0);
        loseNextReply(t, WriteMarks.DEPTH - 1); // others store the page again (same items) before the retry
        write(waits, t, ADD_ONE);
        assertEquals(counter(1), items.get(t, KEY, true));
    }

    @Test
    void lostRepliesUnderManyAddsLoseNoneAndCountNoneTwice() {
        TableDefinition t = counterAt(0);
        for (int i = 0; i < 20; i++) {
            loseNextReply(t, i % WriteMarks.DEPTH);
            write(i % 3 != 0, t, ADD_ONE);
        }
        assertEquals(counter(20), items.get(t, KEY, true));
    }

    @Test
    void eachWriteKeepsTheMarksOfTheWritesBeforeIt() {
        TableDefinition t = counterAt(0);
        byte[] partition = CollectionSpace.of(t).partition(PK);
        assertEquals(16, WriteMarks.trailer(node.stored(t.cacheName(), partition)).length, "one write, one mark");
        for (int i = 0; i < WriteMarks.DEPTH + 2; i++) {
            write(i % 2 == 0, t, ADD_ONE);
            assertEquals(Math.min(i + 2, WriteMarks.DEPTH) * 16,
                    WriteMarks.trailer(node.stored(t.cacheName(), partition)).length, "after " + (i + 2) + " writes");
        }
    }

    /**
     * More writes between the lost reply and the retry than a value remembers: whether the write
     * applied is unknown, and it fails as a request the store could not answer (ServiceUnavailable
     * on the wire), never by applying the ADD a second time or refusing it.
     */
    @ParameterizedTest(name = "may wait: {0}")
    @ValueSource(booleans = {true, false})
    void aWriteWhoseOutcomeTheValueNoLongerRemembersFailsAsUnavailable(boolean waits) {
        TableDefinition t = counterAt(0);
        loseNextReply(t, WriteMarks.DEPTH);
        Throwable failure = assertThrows(Throwable.class, () -> write(waits, t, ADD_ONE));
        assertNotNull(Unavailability.reason(failure), "answered as the store unavailable: " + failure);
        assertEquals(counter(1), items.get(t, KEY, true), "applied once, by the attempt whose reply was lost");
    }
}
