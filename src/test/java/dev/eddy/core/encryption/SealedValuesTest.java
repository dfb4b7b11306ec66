package dev.eddy.core.encryption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A sealed value opens only as it was sealed: under its key, for its cache key, with its header and
 * bytes unchanged; no two seals share a nonce. Master key files are checked with messages that say
 * what is wrong.
 */
class SealedValuesTest {
    private static SecretKey key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new SecretKeySpec(raw, "AES");
    }

    private static final byte[] ENTRY = "partition".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "an item page".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedValueOpensUnderItsKeyForItsEntryOnly() {
        SecretKey k = key();
        byte[] sealed = ValueCipher.seal(k, 7, ENTRY, VALUE);
        assertEquals(VALUE.length + ValueCipher.OVERHEAD, sealed.length);
        assertTrue(ValueCipher.isSealed(sealed));
        assertEquals(7, ValueCipher.versionOf(sealed));
        assertArrayEquals(VALUE, ValueCipher.open(k, ENTRY, sealed));
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("item page"));

        assertThrows(ValueCipher.SealBrokenException.class, () -> ValueCipher.open(key(), ENTRY, sealed));
        assertThrows(ValueCipher.SealBrokenException.class,
                () -> ValueCipher.open(k, "another".getBytes(StandardCharsets.UTF_8), sealed));
        for (int at : new int[] {5, ValueCipher.HEADER + 1, ValueCipher.HEADER + ValueCipher.NONCE + 2, sealed.length - 1}) {
            byte[] altered = sealed.clone();
            altered[at] ^= 1;
            assertThrows(ValueCipher.SealBrokenException.class, () -> ValueCipher.open(k, ENTRY, altered),
                    "a byte changed at " + at);
        }
    }

    @Test
    void noTwoSealsShareANonce() {
        SecretKey k = key();
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] sealed = ValueCipher.seal(k, 1, ENTRY, VALUE);
            assertTrue(nonces.add(Arrays.toString(Arrays.copyOfRange(sealed, ValueCipher.HEADER,
                    ValueCipher.HEADER + ValueCipher.NONCE))));
        }
    }

    @Test
    void plainValuesOfEncryptedCachesAreNeverTakenForSealedOnes() {
        // item pages and page indexes start with a format byte, transaction records with a state
        for (int first = 0; first < 7; first++) {
            byte[] plain = new byte[64];
            plain[0] = (byte) first;
            assertFalse(ValueCipher.isSealed(plain));
        }
        // outbox overflow entries start with a record count: as a varint, its second byte is below 2
        byte[] overflow = new byte[64];
        overflow[0] = (byte) 0xE5;
        overflow[1] = 1;
        assertFalse(ValueCipher.isSealed(overflow));
    }

    @Test
    void masterKeyFilesAreCheckedWithMessagesThatSayWhatIsWrong() throws Exception {
        Path dir = Files.createTempDirectory("master-keys");
        Path f = dir.resolve("keys.json");
        Files.writeString(f, "{\"keys\":[{\"id\":\"a\",\"key\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[32])
                + "\"},{\"id\":\"b\",\"key\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\"}]}");
        MasterKeys keys = MasterKeys.read(f);
        assertEquals("a", keys.primary().id());
        assertEquals(java.util.List.of("a", "b"), keys.ids());

        Files.writeString(f, "not json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterKeys.read(f)).getMessage()
                .contains("cannot be read as JSON"));
        Files.writeString(f, "{\"keys\":[]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterKeys.read(f)).getMessage()
                .contains("has no master keys"));
        Files.writeString(f, "{\"keys\":[{\"id\":\"a b\",\"key\":\"AAAA\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterKeys.read(f)).getMessage()
                .contains("needs an id"));
        Files.writeString(f, "{\"keys\":[{\"id\":\"a\",\"key\":\"%%%\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterKeys.read(f)).getMessage()
                .contains("master key a is not base64"));
        Files.writeString(f, "{\"keys\":[{\"id\":\"a\",\"key\":\"AAAA\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterKeys.read(f)).getMessage()
                .contains("master key a has 3 bytes; it must be 32"));
        String k32 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Files.writeString(f, "{\"keys\":[{\"id\":\"a\",\"key\":\"" + k32 + "\"},{\"id\":\"a\",\"key\":\"" + k32 + "\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterKeys.read(f)).getMessage()
                .contains("master key id a appears twice"));
    }

    @Test
    void theCachesLeftAsTheyAreAreTheEnginesOwnThatHoldNoItemData() {
        assertEquals(Set.of(DataKeys.CACHE, dev.eddy.core.table.TableCatalog.CACHE, dev.eddy.core.lease.Leases.CACHE,
                dev.eddy.core.lease.Instances.CACHE, dev.eddy.core.outbox.PendingPages.CACHE,
                dev.eddy.core.storage.TableStatistics.CACHE, dev.eddy.core.maintenance.UpkeepTimers.SYSTEM_CACHE,
                dev.eddy.core.transaction.TransactionLog.TOKENS), Encryption.UNSEALED);
        assertTrue(Encryption.encrypts(dev.eddy.core.transaction.TransactionLog.CACHE));
        assertTrue(Encryption.encrypts(Encryption.TABLE_CACHE_PREFIX + "some-table-id"));
        assertTrue(Encryption.encrypts("eddy.a-cache-added-later"));
        assertFalse(Encryption.encrypts(Encryption.STREAM_SEAL));
    }
}
