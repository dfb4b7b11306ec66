package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;

/**
 * UpdateTimeToLive: turns Time to Live on (naming the attribute that holds each item's expiry, in
 * epoch seconds) or off. Expired items are then deleted in the background (see
 * {@link dev.eddy.core.ttl.Expirer}).
 */
public final class UpdateTimeToLive implements BlockingOperation {
    private final OperationContext context;

    public UpdateTimeToLive(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "UpdateTimeToLive";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String name = r.string("TableName");
        r.name("tableName", name, true);
        JsonNode spec = r.object("TimeToLiveSpecification");
        Boolean enabled = null;
        String attribute = null;
        if (r.notNull("timeToLiveSpecification", spec)) {
            enabled = Request.bool(spec, "Enabled");
            attribute = Request.string(spec, "AttributeName");
            r.notNull("timeToLiveSpecification.enabled", enabled);
            if (r.notNull("timeToLiveSpecification.attributeName", attribute)) {
                r.length("timeToLiveSpecification.attributeName", attribute, 1, 255);
            }
        }
        r.check();
        Tables.forItems(context, name);
        boolean on = enabled;
        String attributeName = attribute;
        TableDefinition updated = context.catalog().update(name, t -> {
            if (on && t.timeToLiveAttribute() != null) {
                throw Errors.validation("TimeToLive is already enabled");
            }
            if (!on && t.timeToLiveAttribute() == null) {
                throw Errors.validation("TimeToLive is already disabled");
            }
            if (!on && !t.timeToLiveAttribute().equals(attributeName)) {
                throw Errors.validation("TimeToLive attribute name does not match the enabled attribute: "
                        + t.timeToLiveAttribute());
            }
            return t.withTimeToLive(on ? attributeName : null);
        });
        if (updated == null) {
            throw Errors.resourceNotFound();
        }
        out.writeObjectFieldStart("TimeToLiveSpecification");
        out.writeBooleanField("Enabled", on);
        out.writeStringField("AttributeName", attributeName);
        out.writeEndObject();
    }
}
