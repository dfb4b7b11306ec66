package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/**
 * DescribeKinesisStreamingDestination: Eddy streams changes to Kafka, not to Kinesis Data Streams,
 * so a table has no Kinesis destinations.
 */
public final class DescribeKinesisStreamingDestination implements BlockingOperation {
    private final OperationContext context;

    public DescribeKinesisStreamingDestination(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeKinesisStreamingDestination";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String nameOrArn = FeatureNotInUse.tableNameOrArn(r, "TableName", "tableName", true);
        r.check();
        TableDefinition t = FeatureNotInUse.table(context, nameOrArn);
        out.writeStringField("TableName", t.tableName());
        out.writeArrayFieldStart("KinesisDataStreamDestinations");
        out.writeEndArray();
    }
}
