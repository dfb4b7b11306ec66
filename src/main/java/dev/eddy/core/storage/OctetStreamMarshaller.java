package dev.eddy.core.storage;

import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.commons.marshall.AbstractMarshaller;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.commons.io.ByteBuffer;
import org.infinispan.commons.io.ByteBufferImpl;

/**
 * Eddy's keys and values are bytes it encodes itself; this passes them through as
 * {@code application/octet-stream}, the caches' storage type (the near cache negotiates how its
 * invalidation events see keys from this, and a mismatch can lose events). Bytes come back as
 * {@link WrappedByteArray} ({@link dev.eddy.core.storage.near.StoredBytes}, which keeps a reader's view), comparing by content:
 * the near cache is a map keyed by the key objects, and a plain {@code byte[]} (identity equality)
 * would never hit nor be invalidated.
 */
public final class OctetStreamMarshaller extends AbstractMarshaller {
    /** The near cache's budget, for the near-cached client's values; null for the other client. */
    private final dev.eddy.core.storage.near.ByteBudget budget;

    public OctetStreamMarshaller() {
        this(null);
    }

    OctetStreamMarshaller(dev.eddy.core.storage.near.ByteBudget budget) {
        this.budget = budget;
    }

    @Override
    protected ByteBuffer objectToBuffer(Object o, int estimatedSize) {
        byte[] bytes = o instanceof WrappedByteArray w ? w.getBytes() : (byte[]) o;
        return ByteBufferImpl.create(bytes);
    }

    @Override
    public Object objectFromByteBuffer(byte[] buf, int offset, int length) {
        byte[] bytes = offset == 0 && length == buf.length ? buf : java.util.Arrays.copyOfRange(buf, offset, offset + length);
        return new dev.eddy.core.storage.near.StoredBytes(bytes, budget);
    }

    @Override
    public boolean isMarshallable(Object o) {
        return o instanceof byte[] || o instanceof WrappedByteArray;
    }

    @Override
    public MediaType mediaType() {
        return MediaType.APPLICATION_OCTET_STREAM;
    }
}
