package dev.eddy.core.storage;

/**
 * Cache keys within a table's cache. A collection's root lives under its partition key bytes (a
 * type tag 0-2, then the value); its leaf pages under a tag no partition key starts with, the
 * partition key bytes and the page id, so pages spread over the cluster like any other entry.
 */
final class StorageKeys {
    static final byte PAGE_TAG = 0x7F;

    private StorageKeys() {
    }

    static byte[] page(byte[] partition, long pageId) {
        byte[] key = new byte[1 + partition.length + 8];
        key[0] = PAGE_TAG;
        System.arraycopy(partition, 0, key, 1, partition.length);
        for (int i = 0; i < 8; i++) {
            key[1 + partition.length + i] = (byte) (pageId >>> (56 - 8 * i));
        }
        return key;
    }

    static byte[] partitionOfPage(byte[] pageKey) {
        return java.util.Arrays.copyOfRange(pageKey, 1, pageKey.length - 8);
    }

    static long pageIdOf(byte[] pageKey) {
        long id = 0;
        for (int i = pageKey.length - 8; i < pageKey.length; i++) {
            id = (id << 8) | (pageKey[i] & 0xFF);
        }
        return id;
    }

    static boolean isPage(byte[] key) {
        return key.length > 0 && key[0] == PAGE_TAG;
    }
}
