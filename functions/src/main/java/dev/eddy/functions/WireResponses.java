package dev.eddy.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.Eddy;
import dev.eddy.core.api.Replies;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import dev.eddy.core.error.Unavailability;
import org.jboss.logging.Logger;

/**
 * DynamoDB's responses as the wire protocol sends them: the content type the request used, a request
 * id in {@code x-amzn-RequestId}, the body's CRC32 in {@code x-amz-crc32} (which botocore verifies),
 * and errors as {@code {"__type": ..., "message": ...}} bodies. The one place errors become responses,
 * for the wire front and the Funqy routes alike.
 */
final class WireResponses {
    private static final Logger LOG = Logger.getLogger(WireResponses.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private WireResponses() {
    }

    static void send(HttpServerResponse response, int status, String requestContentType, Buffer body) {
        CRC32 crc = new CRC32();
        crc.update(body.getByteBuf().nioBuffer());
        response.setStatusCode(status)
                .putHeader("Content-Type", responseType(requestContentType))
                .putHeader("x-amzn-RequestId", requestId())
                .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                .end(body);
    }

    /**
     * The DynamoDB error a failed request is answered with: its own (a request that lost a race with
     * DeleteTable is the table's ResourceNotFoundException), ServiceUnavailable (503, which clients
     * retry) when the store cannot serve now ({@link Unavailability}: its servers out of reach, a
     * partition, a restart), else InternalServerError.
     */
    static DynamoException answerFor(Throwable failure) {
        DynamoException own = asDynamo(Eddy.tableGone(failure));
        if (own != null) {
            return own;
        }
        return Unavailability.reason(failure) != null ? Errors.storeUnavailable() : Errors.internal("Internal server error");
    }

    /** A failure the answer does not explain is logged: a bug's trace, or one line for an unreachable store. */
    static void log(DynamoException answer, Throwable failure) {
        if (answer.status() == 500) {
            LOG.error("Request failed", Replies.unwrap(failure));
        } else if (answer.status() == 503 && asDynamo(failure) == null) {
            LOG.warnf("The store cannot serve the request now: %s", Unavailability.reason(failure)); // one line, not a trace
        }
    }

    static DynamoException asDynamo(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DynamoException d) {
                return d;
            }
        }
        return null;
    }

    static byte[] errorBody(DynamoException e) {
        StringBuilder s = new StringBuilder(128).append("{\"__type\":\"").append(e.wireType()).append('"');
        if (e.item() != null) {
            // ReturnValuesOnConditionCheckFailure=ALL_OLD: the item the condition failed on.
            s.append(",\"Item\":").append(itemJson(e.item()));
        }
        if (e.reasons() != null) {
            s.append(",\"CancellationReasons\":[");
            for (int i = 0; i < e.reasons().size(); i++) {
                DynamoException.CancellationReason reason = e.reasons().get(i);
                s.append(i == 0 ? "" : ",").append("{\"Code\":\"").append(reason.code()).append('"');
                if (reason.message() != null) {
                    s.append(",\"Message\":\"").append(reason.message().replace("\\", "\\\\").replace("\"", "\\\""))
                            .append('"');
                }
                if (reason.item() != null) {
                    s.append(",\"Item\":").append(itemJson(reason.item()));
                }
                s.append('}');
            }
            s.append(']');
        }
        String m = e.getMessage();
        if (m == null) {
            return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
        s.append(",\"").append(e.messageField()).append("\":\"");
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append("\"}");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String itemJson(Map<String, AttributeValue> item) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            AttributeValueJson.writeItem(g, item);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return w.toString();
    }

    /**
     * A request id in DynamoDB's shape: 52 characters of A-Z and 0-9. It only has to be unique enough
     * to find a request in logs, so it comes from the thread's own generator, not SecureRandom (which
     * takes a lock per call: a measurable share of a near-cache read).
     */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    static String responseType(String requestContentType) {
        return requestContentType != null && requestContentType.startsWith("application/x-amz-json-1.1")
                ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
    }
}
