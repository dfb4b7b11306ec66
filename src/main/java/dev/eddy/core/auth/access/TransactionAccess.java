package dev.eddy.core.auth.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.auth.policy.AccessRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * TransactWriteItems and TransactGetItems need the item action of every part (Developer Guide,
 * "Using IAM with DynamoDB transactions"): ConditionCheck is dynamodb:ConditionCheckItem, Put
 * dynamodb:PutItem, Update dynamodb:UpdateItem, Delete dynamodb:DeleteItem, Get dynamodb:GetItem,
 * each with dynamodb:EnclosingOperation naming the transaction.
 */
public final class TransactionAccess {
    private TransactionAccess() {
    }

    public static List<AccessRequest> transactWriteItems(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        String enclosing = "TransactWriteItems";
        for (JsonNode part : list(r)) {
            if (part.has("ConditionCheck")) {
                out.add(ItemAccess.delete("ConditionCheckItem", part.get("ConditionCheck"), ctx, enclosing).build());
            }
            if (part.has("Put")) {
                out.add(ItemAccess.put("PutItem", part.get("Put"), ctx, enclosing).build());
            }
            if (part.has("Update")) {
                out.add(ItemAccess.update("UpdateItem", part.get("Update"), ctx, enclosing).build());
            }
            if (part.has("Delete")) {
                out.add(ItemAccess.delete("DeleteItem", part.get("Delete"), ctx, enclosing).build());
            }
        }
        return out;
    }

    public static List<AccessRequest> transactGetItems(JsonNode r, AccessContext ctx) {
        List<AccessRequest> out = new ArrayList<>();
        for (JsonNode part : list(r)) {
            if (part.has("Get")) {
                out.add(ItemAccess.read("GetItem", part.get("Get"), ctx, "TransactGetItems").build());
            }
        }
        return out;
    }

    private static Iterable<JsonNode> list(JsonNode r) {
        JsonNode items = r.get("TransactItems");
        return items != null && items.isArray() ? items : List.of();
    }
}
