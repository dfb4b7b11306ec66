package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import java.io.IOException;

/**
 * DescribeLimits: the provisioned-capacity quotas. Per table, the 40 000 units CreateTable and
 * UpdateTable enforce; per account, DynamoDB's default of 80 000, which Eddy does not enforce.
 */
public final class DescribeLimits implements BlockingOperation {
    static final long ACCOUNT_MAX_CAPACITY_UNITS = 80_000;

    public DescribeLimits(OperationContext context) {
    }

    @Override
    public String name() {
        return "DescribeLimits";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        out.writeNumberField("AccountMaxReadCapacityUnits", ACCOUNT_MAX_CAPACITY_UNITS);
        out.writeNumberField("AccountMaxWriteCapacityUnits", ACCOUNT_MAX_CAPACITY_UNITS);
        out.writeNumberField("TableMaxReadCapacityUnits", TableRequests.MAX_CAPACITY_UNITS);
        out.writeNumberField("TableMaxWriteCapacityUnits", TableRequests.MAX_CAPACITY_UNITS);
    }
}
