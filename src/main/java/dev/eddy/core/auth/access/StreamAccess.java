package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The DynamoDB Streams API: DescribeStream, GetShardIterator and GetRecords on the stream's ARN
 * ({@code table/T/stream/<label>}); ListStreams takes no resource, so its resource is {@code *}.
 */
public final class StreamAccess {
    private StreamAccess() {
    }

    public static List<AccessRequest> listStreams(JsonNode r, AccessContext ctx) {
        return Facts.one(Facts.of("ListStreams", "*", ctx));
    }

    public static OperationAccess onStreamArn(String action) {
        return (r, ctx) -> Facts.one(Facts.of(action, orAny(Facts.text(r, "StreamArn")), ctx));
    }

    public static List<AccessRequest> getRecords(JsonNode r, AccessContext ctx) {
        return Facts.one(Facts.of("GetRecords", orAny(streamOf(Facts.text(r, "ShardIterator"))), ctx));
    }

    /**
     * The stream an iterator reads: Eddy's iterators are the stream ARN and three numbers joined by
     * '|', in URL-safe base64 (operation.streams.Streams writes them). One that does not decode is
     * checked as a request on every stream; GetRecords then refuses it anyway.
     */
    static String streamOf(String iterator) {
        if (iterator == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8);
            int c = text.lastIndexOf('|');
            int b = text.lastIndexOf('|', c - 1);
            int a = text.lastIndexOf('|', b - 1);
            return a > 0 ? text.substring(0, a) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String orAny(String arn) {
        return arn != null ? arn : "*";
    }
}
