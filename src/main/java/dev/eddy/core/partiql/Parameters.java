package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.PartiqlErrors;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The Parameters of a statement: the values its {@code ?} stand for, in order. DynamoDB checks
 * the count only where a {@code ?} reaches past the list, so extra parameters are ignored.
 */
public final class Parameters {
    public static final Parameters NONE = new Parameters(List.of(), null);

    private final List<AttributeValue> values;
    /** As sent, for the NextToken's fingerprint; null when none were sent. */
    private final JsonNode json;

    private Parameters(List<AttributeValue> values, JsonNode json) {
        this.values = values;
        this.json = json;
    }

    /** Reads a Parameters member (a list of AttributeValues, or absent). */
    public static Parameters read(JsonNode parent) {
        JsonNode list = Request.list(parent, "Parameters");
        if (list == null) {
            return NONE;
        }
        List<AttributeValue> values = new ArrayList<>(list.size());
        for (JsonNode v : list) {
            try {
                values.add(AttributeValueJson.read(v, 0, false));
            } catch (DynamoException e) {
                throw isNotANumber(e) ? PartiqlErrors.parameterNotANumber() : e;
            }
        }
        return new Parameters(values, list);
    }

    private static boolean isNotANumber(DynamoException e) {
        String notANumber = Errors.notANumber("").getMessage();
        return e.getMessage() != null && e.getMessage().startsWith(notANumber);
    }

    static Parameters of(List<AttributeValue> values) {
        return new Parameters(values, null);
    }

    AttributeValue get(int index) {
        if (index >= values.size()) {
            throw PartiqlErrors.parameterCount();
        }
        return values.get(index);
    }

    /** The parameters as text, for telling one request's NextToken from another's. */
    String fingerprintText() {
        return json == null ? "" : json.toString();
    }
}
