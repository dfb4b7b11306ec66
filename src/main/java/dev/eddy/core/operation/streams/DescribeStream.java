package dev.eddy.core.operation.streams;

import dev.eddy.core.operation.OperationContext;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.stream.StreamReader;
import dev.eddy.core.table.KeyElement;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * DescribeStream: the stream's status, view type, key schema and shards. Shards are the topic's
 * partitions; they stay open while the stream is enabled (no EndingSequenceNumber) and have no
 * parents (Kafka partitions do not split).
 */
public final class DescribeStream implements BlockingOperation {
    private final OperationContext context;

    public DescribeStream(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeStream";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = r.string("StreamArn");
        Streams.checkArn(arn);
        if (r.notNull("streamArn", arn)) {
            r.length("streamArn", arn, 37, 1024);
        }
        Long limit = r.integer("Limit");
        r.range("limit", limit, 1, 100);
        String after = r.string("ExclusiveStartShardId");
        r.check();
        Streams.Stream stream = Streams.find(context, arn);
        StreamReader reader = Streams.reader(context);
        out.writeObjectFieldStart("StreamDescription");
        out.writeStringField("StreamArn", stream.arn());
        out.writeStringField("StreamLabel", stream.label());
        out.writeStringField("StreamStatus",
                stream.status(context.config().storage().writersLearnMillis(), System.currentTimeMillis()));
        out.writeStringField("StreamViewType", stream.viewType());
        out.writeNumberField("CreationRequestDateTime", BigDecimal.valueOf(stream.createdMillis(), 3));
        out.writeStringField("TableName", stream.table().tableName());
        out.writeArrayFieldStart("KeySchema");
        for (KeyElement k : stream.table().keySchema()) {
            out.writeStartObject();
            out.writeStringField("AttributeName", k.attributeName());
            out.writeStringField("KeyType", k.keyType());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("Shards");
        List<Integer> partitions = reader.partitions(stream.topic());
        if (partitions.isEmpty()) {
            partitions = List.of(0); // no record yet: the topic comes with the first one
        }
        int max = limit == null ? 100 : limit.intValue();
        int n = 0;
        String last = null;
        for (int partition : partitions) {
            String shardId = Streams.shardId(stream, partition);
            if (after != null && shardId.compareTo(after) <= 0) {
                continue;
            }
            if (n == max) {
                break;
            }
            long first = reader.partitions(stream.topic()).contains(partition)
                    ? reader.range(stream.topic(), partition)[0] : 0;
            out.writeStartObject();
            out.writeStringField("ShardId", shardId);
            out.writeObjectFieldStart("SequenceNumberRange");
            out.writeStringField("StartingSequenceNumber", Streams.sequenceNumber(first, partition));
            // A disabled stream's shards are closed: they end at their last record.
            long end = reader.partitions(stream.topic()).contains(partition) ? reader.range(stream.topic(), partition)[1] : 0;
            if (!stream.enabled() && end > first) {
                out.writeStringField("EndingSequenceNumber", Streams.sequenceNumber(end - 1, partition));
            }
            out.writeEndObject();
            out.writeEndObject();
            last = shardId;
            n++;
        }
        out.writeEndArray();
        if (n == max && last != null && !last.equals(Streams.shardId(stream, partitions.get(partitions.size() - 1)))) {
            out.writeStringField("LastEvaluatedShardId", last);
        }
        out.writeEndObject();
    }
}
