package dev.eddy.core.stream;

import dev.eddy.core.encryption.DataKeys;
import dev.eddy.core.encryption.Encryption;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Proof that a stream record was written by Eddy: an HMAC-SHA256 over the record's topic, key and
 * value, in a header ({@value #HEADER}: the key version, 4 bytes, then the 32-byte MAC), under a key
 * kept in the cluster ({@code DataKeys}, name {@value Encryption#STREAM_SEAL}; wrapped under the
 * master key when encryption at rest is on). The Streams API and the trigger dispatcher take only
 * records whose seal holds, so a record produced to a stream topic by anyone else (Kafka ACLs aside,
 * with a credential that may produce) is never served nor delivered: not a forged INSERT, not a real
 * record altered, not a real record copied to another table's topic.
 *
 * <p>Why a MAC rather than checking each record against the table's change log: the outbox keeps a
 * record only until Kafka has it, so there is no log left to check a record against, and keeping one
 * would cost every write; a MAC is one hash per record, and any reader holding the key checks it
 * alone. What it does not stop: a sealed record copied again into its own topic later on, which the
 * readers' duplicate rule (same item, sequence not newer) drops within their look-back; Kafka's ACLs
 * (only Eddy's principal may write stream topics) are the first line against that.
 */
public final class RecordSeal {
    public static final String HEADER = "eddy-seal";
    private static final int MAC_BYTES = 32;
    private static final byte[] CONTEXT = "eddy stream record".getBytes(StandardCharsets.UTF_8);
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(RecordSeal::newMac);

    private final DataKeys keys;

    public RecordSeal(DataKeys keys) {
        this.keys = keys;
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    /** The header that seals this record. */
    public Header header(String topic, byte[] key, byte[] value) {
        DataKeys.Current current = keys.current(Encryption.STREAM_SEAL, false);
        byte[] out = new byte[4 + MAC_BYTES];
        int v = current.version();
        out[0] = (byte) (v >>> 24);
        out[1] = (byte) (v >>> 16);
        out[2] = (byte) (v >>> 8);
        out[3] = (byte) v;
        System.arraycopy(mac(current.key(), topic, key, value), 0, out, 4, MAC_BYTES);
        return new RecordHeader(HEADER, out);
    }

    /** Whether the record carries a seal that holds for its topic, key and value. */
    public boolean holds(String topic, byte[] key, byte[] value, Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(HEADER);
        if (h == null || h.value() == null || h.value().length != 4 + MAC_BYTES || value == null) {
            return false;
        }
        byte[] seal = h.value();
        int v = ((seal[0] & 0xFF) << 24) | ((seal[1] & 0xFF) << 16) | ((seal[2] & 0xFF) << 8) | (seal[3] & 0xFF);
        SecretKey k;
        try {
            k = keys.key(Encryption.STREAM_SEAL, v);
        } catch (IllegalStateException noSuchVersion) {
            return false;
        }
        return MessageDigest.isEqual(mac(k, topic, key, value), Arrays.copyOfRange(seal, 4, 4 + MAC_BYTES));
    }

    private static byte[] mac(SecretKey k, String topic, byte[] key, byte[] value) {
        Mac mac = MACS.get();
        try {
            mac.init(k);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stream seal key is unusable", e);
        }
        mac.update(CONTEXT);
        part(mac, topic.getBytes(StandardCharsets.UTF_8));
        part(mac, key == null ? new byte[0] : key);
        part(mac, value);
        return mac.doFinal();
    }

    /** Each part with its length first, so no two different records hash the same bytes. */
    private static void part(Mac mac, byte[] bytes) {
        int n = bytes.length;
        mac.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        mac.update(bytes);
    }
}
