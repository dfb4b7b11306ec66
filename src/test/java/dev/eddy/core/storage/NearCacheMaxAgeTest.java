package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.core.StorageConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A near-cache entry whose invalidation never came (the servers changed the value and told no
 * listener: what a read racing the write or a moved listener amounts to) is dropped at the near
 * cache's maximum age, and the next read brings the servers' value; until then the near cache
 * answers, as it is there to.
 */
class NearCacheMaxAgeTest {
    private static final long MAX_AGE_MILLIS = 300;
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = new TestNode(StorageConfig.DEFAULT_NEAR_CACHE_BYTES, StorageConfig.DEFAULT_PAGE_BYTES, MAX_AGE_MILLIS);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEntryWhoseInvalidationWasLostIsReadAgainOnceItIsOlderThanTheMaximumAge() throws Exception {
        String cache = Storage.PREFIX + "t.maxage";
        node.storage.createCache(cache);
        Entries near = node.storage.eventual(cache);
        node.storage.strong(cache).put(bytes("k"), bytes("old"));
        assertArrayEquals(bytes("old"), near.get(bytes("k")));
        long hits = near.clientStatistics().getNearCacheHits();
        node.changeUnannounced(cache, bytes("k"), v -> bytes("new"));

        assertArrayEquals(bytes("old"), near.get(bytes("k")), "the near cache answers until the entry is too old");
        assertEquals(hits + 1, near.clientStatistics().getNearCacheHits());
        Thread.sleep(MAX_AGE_MILLIS + 200);
        assertArrayEquals(bytes("new"), near.get(bytes("k")), "read from the servers once the entry was dropped");
        assertArrayEquals(bytes("new"), near.get(bytes("k")));
        assertEquals(hits + 2, near.clientStatistics().getNearCacheHits(), "and cached again");
    }
}
