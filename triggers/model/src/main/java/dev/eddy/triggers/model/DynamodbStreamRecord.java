package dev.eddy.triggers.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One change to one item, as DynamoDB Streams' GetRecords returns it, plus the stream's ARN
 * ({@code eventSourceARN}) as Lambda adds it.
 *
 * @param eventName INSERT, MODIFY or REMOVE
 * @param userIdentity present only on deletions done by Time to Live
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DynamodbStreamRecord(
        @JsonProperty("eventID") String eventId,
        @JsonProperty("eventName") String eventName,
        @JsonProperty("eventVersion") String eventVersion,
        @JsonProperty("eventSource") String eventSource,
        @JsonProperty("awsRegion") String awsRegion,
        @JsonProperty("eventSourceARN") String eventSourceArn,
        @JsonProperty("dynamodb") StreamRecord dynamodb,
        @JsonProperty("userIdentity") Identity userIdentity) {

    public static final String INSERT = "INSERT";
    public static final String MODIFY = "MODIFY";
    public static final String REMOVE = "REMOVE";

    /**
     * The table the change happened in, read from {@code eventSourceARN}
     * ({@code arn:aws:dynamodb:<region>:<account>:table/<TableName>/stream/<label>}); null when
     * the ARN is missing or not a stream ARN.
     */
    public String tableName() {
        if (eventSourceArn == null) {
            return null;
        }
        int table = eventSourceArn.indexOf(":table/");
        int stream = eventSourceArn.indexOf("/stream/");
        if (table < 0 || stream < table) {
            return null;
        }
        return eventSourceArn.substring(table + ":table/".length(), stream);
    }

    /** True for a deletion made by Time to Live rather than by a request. */
    public boolean isTimeToLiveDeletion() {
        return REMOVE.equals(eventName) && userIdentity != null
                && "dynamodb.amazonaws.com".equals(userIdentity.principalId());
    }

    /** Who made the change: only deletions by Time to Live carry one ({@code Service}, {@code dynamodb.amazonaws.com}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Identity(@JsonProperty("type") String type, @JsonProperty("principalId") String principalId) {
    }
}
