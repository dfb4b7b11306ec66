package dev.eddy.triggers.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a trigger function may answer when its trigger has ReportBatchItemFailures on: the records
 * it could not process, by SequenceNumber. The dispatcher treats every record before the earliest
 * one named as done and retries from that one on, as Lambda does; an empty or absent list means the
 * whole batch succeeded. (Without ReportBatchItemFailures the answer is ignored: any 2xx is success.)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamsEventResponse(@JsonProperty("batchItemFailures") List<BatchItemFailure> batchItemFailures) {

    public StreamsEventResponse {
        batchItemFailures = batchItemFailures == null ? List.of() : List.copyOf(batchItemFailures);
    }

    /** The whole batch was processed. */
    public static StreamsEventResponse success() {
        return new StreamsEventResponse(List.of());
    }

    /** This record, and so every later one in the batch, is to be delivered again. */
    public static StreamsEventResponse failedFrom(DynamodbStreamRecord record) {
        return new StreamsEventResponse(List.of(new BatchItemFailure(record.dynamodb().sequenceNumber())));
    }

    /** One failed record, named by its {@code dynamodb.SequenceNumber}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BatchItemFailure(@JsonProperty("itemIdentifier") String itemIdentifier) {
    }
}
