package dev.eddy.core.operation.streams;

import dev.eddy.core.operation.OperationContext;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.stream.StreamReader;
import java.io.IOException;
import java.util.List;

/** GetShardIterator: TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER in one shard. */
public final class GetShardIterator implements BlockingOperation {
    private static final List<String> TYPES = List.of("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER",
            "AFTER_SEQUENCE_NUMBER");
    private final OperationContext context;

    public GetShardIterator(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "GetShardIterator";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String arn = r.string("StreamArn");
        Streams.checkArn(arn);
        if (r.notNull("streamArn", arn)) {
            r.length("streamArn", arn, 37, 1024);
        }
        String shardId = r.string("ShardId");
        if (r.notNull("shardId", shardId)) {
            r.length("shardId", shardId, 28, 65);
        }
        String type = r.string("ShardIteratorType");
        if (r.notNull("shardIteratorType", type)) {
            r.oneOf("shardIteratorType", type, TYPES);
        }
        String sequenceNumber = r.string("SequenceNumber");
        if (sequenceNumber != null) {
            r.length("sequenceNumber", sequenceNumber, 21, 40);
        }
        r.check();
        Streams.Stream stream = Streams.find(context, arn);
        int partition = Streams.partitionOf(stream, shardId);
        StreamReader reader = Streams.reader(context);
        boolean bySequence = type.endsWith("SEQUENCE_NUMBER");
        if (bySequence && sequenceNumber == null) {
            throw Errors.validation("Must specify a sequence number for iterator type " + type);
        }
        if (!bySequence && sequenceNumber != null) {
            throw Errors.validation("Sequence number must not be specified for iterator type " + type);
        }
        List<Integer> partitions = reader.partitions(stream.topic());
        long[] range = partitions.contains(partition) ? reader.range(stream.topic(), partition) : new long[] {0, 0};
        if (!partitions.isEmpty() && !partitions.contains(partition)) {
            throw Errors.shardNotFound(shardId, arn);
        }
        long offset = switch (type) {
            case "TRIM_HORIZON" -> range[0];
            case "LATEST" -> range[1];
            case "AT_SEQUENCE_NUMBER" -> Streams.offsetOf(sequenceNumber, partition);
            default -> Streams.offsetOf(sequenceNumber, partition) + 1;
        };
        if (offset < range[0]) {
            throw Errors.trimmedData();
        }
        out.writeStringField("ShardIterator", Streams.iterator(stream, partition, offset, System.currentTimeMillis()));
    }
}
