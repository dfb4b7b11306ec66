package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Which server errors mean a cache is gone (the table or backup deleted) and which only that the
 * store cannot serve for a moment: "not ready" is a question for the catalog for the caches Eddy
 * removes, never gone for Eddy's own.
 */
class CacheGoneTest {
    private static final String NOT_READY = "org.infinispan.commons.IllegalLifecycleStateException: ISPN005066: "
            + "Cache 'x' is not ready";
    private static final String NOT_FOUND = "org.infinispan.server.hotrod.CacheNotFoundException: Cache with name "
            + "'x' not found amongst the configured caches";

    @Test
    void aTablesOrABackupsCacheThatIsNotReadyIsAskedAbout() {
        assertEquals(Entries.Gone.ASK, Entries.gone("eddy.t.0d4e", NOT_READY));
        assertEquals(Entries.Gone.ASK, Entries.gone("eddy.backup.01234", NOT_READY));
    }

    @Test
    void eddysOwnCachesNotReadyAreOnlyUnavailable() {
        for (String own : new String[] {"eddy.catalog", "eddy.instances", "eddy.leases", "eddy.pending",
                "eddy.transactions", "eddy.statistics"}) {
            assertEquals(Entries.Gone.NO, Entries.gone(own, NOT_READY), own);
        }
    }

    @Test
    void aCacheNotFoundIsGoneWhicheverItIs() {
        assertEquals(Entries.Gone.YES, Entries.gone("eddy.catalog", NOT_FOUND));
        assertEquals(Entries.Gone.YES, Entries.gone("eddy.t.0d4e", NOT_FOUND));
    }

    @Test
    void otherErrorsAreNotGone() {
        assertEquals(Entries.Gone.NO, Entries.gone("eddy.t.0d4e", "org.infinispan.commons.TimeoutException: ISPN000427"));
    }
}
