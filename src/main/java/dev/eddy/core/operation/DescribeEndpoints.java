package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/**
 * DescribeEndpoints: where clients reach this Eddy (host:port, {@code eddy.public-endpoint}) and how
 * long a client may cache it, in DynamoDB's shape. DynamoDB names its regional endpoint there; Eddy's
 * own address is what a client doing endpoint discovery must be sent back to.
 */
public final class DescribeEndpoints implements BlockingOperation {
    private static final int CACHE_MINUTES = 1440;
    private final OperationContext context;

    public DescribeEndpoints(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "DescribeEndpoints";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        out.writeArrayFieldStart("Endpoints");
        out.writeStartObject();
        out.writeStringField("Address", context.config().endpointAddress());
        out.writeNumberField("CachePeriodInMinutes", CACHE_MINUTES);
        out.writeEndObject();
        out.writeEndArray();
    }
}
