package dev.eddy.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON reader for request bodies and stream records, with DynamoDB's limits instead of
 * Jackson's defaults: an attribute name may be up to 65 535 bytes (Developer Guide, "Quotas":
 * attribute names other than key attributes), where Jackson stops at 50 000 characters.
 */
public final class JsonReading {
    /** The longest attribute name DynamoDB takes, in bytes (a UTF-8 character is at least one). */
    public static final int MAX_NAME_BYTES = 65_535;

    /** Jackson's limits with DynamoDB's name length; every reader of request JSON uses these. */
    public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNameLength(MAX_NAME_BYTES).build();

    private JsonReading() {
    }

    private static final ObjectMapper SHARED = mapper();

    /** One mapper for the process (thread-safe once configured): what request bodies are read with. */
    public static ObjectMapper shared() {
        return SHARED;
    }

    public static JsonFactory factory() {
        return JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper(factory());
    }
}
