package dev.eddy.core.storage;

/**
 * Cache keys within a table's cache. An item collection's root lives under its partition key
 * bytes (a type tag 0-2, then the value), behind a space prefix for the other collection spaces
 * (see {@link CollectionSpace}); its leaf pages under {@link #PAGE_TAG}, the partition key bytes
 * and the page id, so pages spread over the cluster like any other entry; outbox overflow entries
 * under {@link #OVERFLOW_TAG}, the owning page's uid and a running index.
 */
final class StorageKeys {
    static final byte PAGE_TAG = 0x7F;
    static final byte OVERFLOW_TAG = 0x7A;

    private StorageKeys() {
    }

    static byte[] page(byte[] partition, long pageId) {
        byte[] key = new byte[1 + partition.length + 8];
        key[0] = PAGE_TAG;
        System.arraycopy(partition, 0, key, 1, partition.length);
        putLong(key, 1 + partition.length, pageId);
        return key;
    }

    static byte[] partitionOfPage(byte[] pageKey) {
        return java.util.Arrays.copyOfRange(pageKey, 1, pageKey.length - 8);
    }

    static long pageIdOf(byte[] pageKey) {
        return getLong(pageKey, pageKey.length - 8);
    }

    static boolean isPage(byte[] key) {
        return key.length > 0 && key[0] == PAGE_TAG;
    }

    /** The n-th overflow entry of the outbox whose overflow uid is {@code uid}. */
    static byte[] overflow(long uid, long index) {
        byte[] key = new byte[17];
        key[0] = OVERFLOW_TAG;
        putLong(key, 1, uid);
        putLong(key, 9, index);
        return key;
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
