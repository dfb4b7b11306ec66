package dev.eddy.functions.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.api.Request;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The wire format on the request path: a PutItem body read into a {@link Request} and its item
 * ({@link AttributeValueJson#readItem}), and a GetItem response written
 * ({@link AttributeValueJson#writeItem}), for a YCSB record and for an item with every value type.
 */
@State(Scope.Benchmark)
public class WireJsonBenchmark extends Microbenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"ycsb", "mixed"})
    public String item;

    private byte[] putItemBody;
    private Map<String, AttributeValue> stored;

    @Setup
    public void setUp() throws IOException {
        stored = item.equals("ycsb") ? BenchItems.ycsb("user1234") : BenchItems.mixed("user1234");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("TableName", "usertable");
            g.writeFieldName("Item");
            AttributeValueJson.writeItem(g, stored);
            g.writeEndObject();
        }
        putItemBody = out.toByteArray();
    }

    @Benchmark
    public Map<String, AttributeValue> readPutItemRequest() throws IOException {
        Request request = new Request(JSON.readTree(putItemBody));
        request.name("tableName", request.string("TableName"), true);
        JsonNode item = request.object("Item");
        request.check();
        return AttributeValueJson.readItem(item, "item");
    }

    @Benchmark
    public byte[] writeGetItemResponse() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("Item");
            AttributeValueJson.writeItem(g, stored);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
