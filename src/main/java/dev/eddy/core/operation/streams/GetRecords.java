package dev.eddy.core.operation.streams;

import dev.eddy.core.operation.OperationContext;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.stream.StreamReader;
import java.io.IOException;
import java.util.List;

/**
 * GetRecords: up to Limit records (at most 1000) from the iterator's position, each change once,
 * with the iterator to continue from. A shard stays open while its stream is enabled; a disabled
 * stream's shard read to its end has no NextShardIterator, as DynamoDB closes it.
 */
public final class GetRecords implements BlockingOperation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OperationContext context;

    public GetRecords(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "GetRecords";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String iterator = r.string("ShardIterator");
        if (r.notNull("shardIterator", iterator)) {
            r.length("shardIterator", iterator, 1, 2048);
        }
        Long limit = r.integer("Limit");
        r.range("limit", limit, 1, 1000);
        r.check();
        Streams.Position at = Streams.position(iterator);
        long now = System.currentTimeMillis();
        if (now - at.issuedMillis() > Streams.ITERATOR_LIFETIME_MILLIS) {
            throw Errors.expiredIterator(at.issuedMillis(), now, Streams.ITERATOR_LIFETIME_MILLIS);
        }
        Streams.Stream stream = Streams.find(context, at.streamArn());
        StreamReader reader = Streams.reader(context);
        long[] next = new long[1];
        List<StreamReader.Record> records;
        if (reader.partitions(stream.topic()).contains(at.partition())) {
            long[] range = reader.range(stream.topic(), at.partition());
            if (at.offset() < range[0]) {
                throw Errors.trimmedData();
            }
            records = reader.read(stream.topic(), at.partition(), at.offset(), limit == null ? 1000 : limit.intValue(),
                    next);
        } else {
            records = List.of();
            next[0] = at.offset();
        }
        out.writeArrayFieldStart("Records");
        for (StreamReader.Record record : records) {
            ObjectNode json = record.json();
            json.remove("eventSourceARN");
            // The topic carries Lambda's event shape; the Streams API names the identity's members in capitals.
            if (json.get("userIdentity") instanceof ObjectNode identity) {
                ObjectNode api = json.putObject("userIdentity");
                api.put("PrincipalId", identity.path("principalId").asText());
                api.put("Type", identity.path("type").asText());
            }
            ((ObjectNode) json.path("dynamodb")).put("SequenceNumber",
                    Streams.sequenceNumber(record.offset(), at.partition()));
            JSON.writeTree(out, json);
        }
        out.writeEndArray();
        // A disabled stream's shards are closed: once read to the end, there is no next iterator.
        boolean readToEnd = !reader.partitions(stream.topic()).contains(at.partition())
                || next[0] >= reader.range(stream.topic(), at.partition())[1];
        if (stream.enabled() || !readToEnd) {
            out.writeStringField("NextShardIterator", Streams.iterator(stream, at.partition(), next[0], now));
        }
    }
}
