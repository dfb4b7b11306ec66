package dev.eddy.triggers.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One invocation's batch: the stream records of one table, in stream order (all records of one
 * item in the order they were written). The body of every call a trigger function gets:
 * {@code {"Records":[...]}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DynamodbEvent(@JsonProperty("Records") List<DynamodbStreamRecord> records) {

    public DynamodbEvent {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
