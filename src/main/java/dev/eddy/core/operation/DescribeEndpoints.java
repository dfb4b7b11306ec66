package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/**
 * DescribeEndpoints: the regional address and how long a client may cache it, as DynamoDB answers.
 * Clients call it only for endpoint discovery, which the SDKs leave off by default and do not use
 * with an endpoint override, so the address is never what reaches Eddy.
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
        out.writeStringField("Address", "dynamodb." + context.config().region() + ".amazonaws.com");
        out.writeNumberField("CachePeriodInMinutes", CACHE_MINUTES);
        out.writeEndObject();
        out.writeEndArray();
    }
}
