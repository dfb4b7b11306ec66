package dev.eddy.triggers.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code dynamodb} part of a stream record: which item changed, its images as far as the
 * stream's view type keeps them, and where the change sits in the item's history.
 *
 * @param approximateCreationDateTime when the change was made, in epoch seconds
 * @param sequenceNumber a decimal string, strictly increasing for each item; it identifies the
 *        record in a partial batch response
 * @param streamViewType KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamRecord(
        @JsonProperty("ApproximateCreationDateTime") BigDecimal approximateCreationDateTime,
        @JsonProperty("Keys") Map<String, AttributeValue> keys,
        @JsonProperty("NewImage") Map<String, AttributeValue> newImage,
        @JsonProperty("OldImage") Map<String, AttributeValue> oldImage,
        @JsonProperty("SequenceNumber") String sequenceNumber,
        @JsonProperty("SizeBytes") Long sizeBytes,
        @JsonProperty("StreamViewType") String streamViewType) {

    /** {@link #approximateCreationDateTime} as an instant, or null when absent. */
    public Instant approximateCreationTime() {
        if (approximateCreationDateTime == null) {
            return null;
        }
        BigDecimal millis = approximateCreationDateTime.movePointRight(3);
        return Instant.ofEpochMilli(millis.longValue());
    }
}
