package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.storage.ItemStore.TransactionState;
import dev.eddy.core.transaction.TransactionLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deciding a transaction while the store fails its record's compare-and-set for a while, as a
 * rebalance during a rolling restart did (the decision's reads gave a version the owners had moved
 * past): a failure that passes is ridden out, one that lasts is answered ServiceUnavailable (503, which
 * the SDKs retry), never an internal error.
 */
class TransactionDecisionTest {
    private final TestNode node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES);

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aDecisionRidesOutCompareAndSetsRefusedForAMoment() {
        TransactionLog log = new TransactionLog(node.storage, 10_000);
        String id = "tx-moment";
        assertTrue(log.begin(id, List.of()));
        CompletableFuture<Void> refusing = new CompletableFuture<>();
        node.refuseReplaces(TransactionLog.CACHE, id.getBytes(StandardCharsets.UTF_8), refusing);
        CompletableFuture.delayedExecutor(3_000, TimeUnit.MILLISECONDS).execute(() -> refusing.complete(null));

        assertTrue(log.decide(id, TransactionState.COMMITTED), "decided once the store takes the write again");
        assertEquals(TransactionState.COMMITTED, log.find(id).state());
        assertTrue(node.replacesRefused() > 0, "the first attempts were refused");
    }

    @Test
    void aDecisionTheStoreKeepsRefusingIsServiceUnavailable() {
        TransactionLog log = new TransactionLog(node.storage, 10_000);
        String id = "tx-lasting";
        assertTrue(log.begin(id, List.of()));
        CompletableFuture<Void> refusing = new CompletableFuture<>();
        node.refuseReplaces(TransactionLog.CACHE, id.getBytes(StandardCharsets.UTF_8), refusing);
        try {
            DynamoException e = assertThrows(DynamoException.class, () -> log.decide(id, TransactionState.ABORTED));
            assertEquals("ServiceUnavailable", e.type());
            assertEquals(503, e.status());
            assertEquals(TransactionState.PENDING, log.find(id).state(), "no decision was made");
        } finally {
            refusing.complete(null);
        }
        assertTrue(log.decide(id, TransactionState.ABORTED), "decided once the store takes the write again");
    }
}
