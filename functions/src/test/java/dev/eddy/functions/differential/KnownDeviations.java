package dev.eddy.functions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Where the reference is known to answer otherwise than DynamoDB, and Eddy follows DynamoDB. Each
 * entry says which differences it covers and why Eddy's answer is DynamoDB's, citing the API
 * Reference or a capture of the real service; a difference no entry explains fails the test.
 */
final class KnownDeviations {
    private KnownDeviations() {
    }

    /** One documented deviation of the reference. */
    record Deviation(String name, String why, Matcher matcher) {
    }

    @FunctionalInterface
    interface Matcher {
        boolean matches(RequestGenerator.Case c, Outcome eddy, Outcome reference);
    }

    private static boolean eddySays(Outcome eddy, String start) {
        return eddy.failed() && eddy.message() != null && eddy.message().startsWith(start);
    }

    private static boolean referenceSays(Outcome reference, String part) {
        return reference.failed() && reference.message() != null && reference.message().contains(part);
    }

    /** Deviations of moto's server (5.x), found by this test and checked against DynamoDB's documentation. */
    static final List<Deviation> MOTO = List.of(
            new Deviation("moto crashes (HTTP 500 with an HTML page)",
                    "moto fails inside (BETWEEN over non-numbers, an undefined #name): DynamoDB answers every such "
                            + "request with a 400 or a result; nothing of Eddy's answer can be compared there",
                    (c, eddy, ref) -> ref.status() == 500 && "NotJson".equals(ref.errorType())),
            new Deviation("moto keeps numbers as sent",
                    "DynamoDB gives numbers back in one canonical form (1e3 as 1000, 0.10 as 0.1: Developer Guide, "
                            + "'Data types', Number: leading and trailing zeroes are trimmed)",
                    (c, eddy, ref) -> !eddy.failed() && !ref.failed()
                            && numbersCanonical(eddy.result()).equals(numbersCanonical(ref.result()))),
            new Deviation("moto creates an item for an update that only removes",
                    "an UpdateItem whose actions only take attributes away (REMOVE, DELETE) creates no item that "
                            + "was not there, as Eddy's storage rule has it and DynamoDB does",
                    (c, eddy, ref) -> "UpdateItem".equals(c.operation())
                            && c.request().path("UpdateExpression").asText().matches("(REMOVE|DELETE) .*")
                            && !ref.failed() && onlyKeys(ref.result()) && !eddy.failed() && noItem(eddy.result())),
            new Deviation("moto returns key attributes among UPDATED_OLD / UPDATED_NEW",
                    "API Reference, UpdateItem: UPDATED_OLD and UPDATED_NEW return only the updated attributes, and "
                            + "key attributes cannot be updated",
                    (c, eddy, ref) -> "UpdateItem".equals(c.operation())
                            && c.request().path("ReturnValues").asText().startsWith("UPDATED")
                            && !ref.failed() && !eddy.failed()
                            && withoutKeys(numbersCanonical(ref.result())).equals(withoutKeys(eddy.result()))),
            new Deviation("moto leaves attributes out of UPDATED_OLD / UPDATED_NEW (if_not_exists, ADD 0, DELETE)",
                    "DynamoDB returns the attributes the update expression names (API Reference, UpdateItem, "
                            + "ReturnValues), whether or not their value changed: a SET to if_not_exists(...), an "
                            + "ADD of 0, a DELETE from a set",
                    (c, eddy, ref) -> "UpdateItem".equals(c.operation())
                            && c.request().path("ReturnValues").asText().startsWith("UPDATED")
                            && !ref.failed() && noAttributes(ref.result()) && !eddy.failed()
                            && eddy.result().path("Attributes").has(c.request().path("ExpressionAttributeNames")
                            .path("#u").asText())),
            new Deviation("moto omits LastEvaluatedKey when a Limit page ends at the last match",
                    "DynamoDB stops at Limit and returns LastEvaluatedKey whenever it did, even when no item is left "
                            + "(Developer Guide, 'Paginating table query results': the last page may be empty)",
                    (c, eddy, ref) -> c.request().has("Limit") && !eddy.failed() && !ref.failed()
                            && eddy.result().has("LastEvaluatedKey") && !ref.result().has("LastEvaluatedKey")
                            && withoutMember(eddy.result(), "LastEvaluatedKey").equals(ref.result())),
            new Deviation("moto takes a missing attribute as equal to NULL",
                    "a comparison with a missing attribute is false (Developer Guide, 'Comparison operator and "
                            + "function reference'); only attribute_not_exists matches it",
                    (c, eddy, ref) -> c.request().toString().contains("{\"NULL\":true}")),
            new Deviation("moto orders values of different types (a Boolean as 0 or 1)",
                    "BETWEEN and the order comparisons hold only between values of one type (Developer Guide, "
                            + "'Comparison operator and function reference'); a Boolean is not a number",
                    (c, eddy, ref) -> c.request().toString().contains("BETWEEN")),
            new Deviation("moto's arithmetic on numbers written with an exponent",
                    "SET a = a + :n adds the numbers' values (Developer Guide, 'Update expressions', incrementing "
                            + "and decrementing), whatever notation :n was written in; moto gets 1e3 wrong or fails",
                    (c, eddy, ref) -> c.request().path("UpdateExpression").asText().matches(".*[+-] :un.*")
                            && c.request().path("ExpressionAttributeValues").path(":un").path("N").asText()
                            .matches(".*[eE].*")),
            new Deviation("moto takes false as equal to 0 and true to 1",
                    "values of different types are never equal (Developer Guide, 'Comparison operator and function "
                            + "reference': a = b is true only if a is equal to b, and a BOOL is not a number)",
                    (c, eddy, ref) -> c.request().toString().contains("{\"BOOL\":")),
            new Deviation("moto accepts numbers DynamoDB refuses",
                    "API Reference, AttributeValue N: up to 38 digits of precision, magnitudes from 1E-130 to "
                            + "9.9999999999999999999999999999999999999E+125; DynamoDB refuses others ('Number overflow', "
                            + "'Attempting to store more than 38 significant digits in a Number')",
                    (c, eddy, ref) -> eddy.failed() && eddy.message() != null && !ref.failed()
                            && (eddy.message().contains("Number overflow") || eddy.message().contains("Number underflow")
                            || eddy.message().contains("38 significant digits"))),
            new Deviation("moto refuses size() of a missing attribute, or of one of a type without a size",
                    "size() of a missing attribute, or of a number or Boolean, is no value, so the comparison is "
                            + "false for that item (Developer Guide, 'Comparison operator and function reference': "
                            + "size applies to strings, binaries, sets, lists and maps)",
                    (c, eddy, ref) -> referenceSays(ref, "Bad Filter Expression: Invalid")),
            new Deviation("moto accepts unused ExpressionAttributeValues",
                    "DynamoDB refuses them: 'Value provided in ExpressionAttributeValues unused in expressions' "
                            + "(captured from the service by dynalite's tests)",
                    (c, eddy, ref) -> eddySays(eddy, "Value provided in ExpressionAttributeValues unused")),
            new Deviation("moto's key checks",
                    "DynamoDB answers a Key with a missing or mistyped attribute 'The provided key element does not "
                            + "match the schema' (dynalite's tests, run against the service); moto says 'Validation "
                            + "Exception' or reads nothing",
                    (c, eddy, ref) -> eddySays(eddy, "The provided key element does not match the schema")),
            new Deviation("moto's text for an empty key value",
                    "DynamoDB: 'One or more parameter values are not valid. The AttributeValue for a key attribute "
                            + "cannot contain an empty string value. Key: ...' (dynalite's tests)",
                    (c, eddy, ref) -> eddySays(eddy, "One or more parameter values are not valid. The AttributeValue "
                            + "for a key attribute cannot contain an empty")),
            new Deviation("moto accepts sets with duplicate members",
                    "API Reference, AttributeValue: a set's values must be unique; DynamoDB refuses 'Input collection "
                            + "... contains duplicates' (captured from the service)",
                    (c, eddy, ref) -> eddy.failed() && eddy.message() != null
                            && eddy.message().contains("contains duplicates") && !ref.failed()),
            new Deviation("moto reports a bad number outside the validation envelope",
                    "DynamoDB's PutItem reports bad values as '1 validation error detected: ...' (real-service "
                            + "captures, paritysuite/dynamodb-conformance)",
                    (c, eddy, ref) -> ref.failed() && ref.message() != null
                            && ("1 validation error detected: " + ref.message()).equals(eddy.message())),
            new Deviation("moto words a runtime operand type error as a static one",
                    "when the types are known only from the item, DynamoDB answers 'An operand in the update "
                            + "expression has an incorrect data type'; 'Incorrect operand type for operator or "
                            + "function' is its parse-time check of constant operands",
                    (c, eddy, ref) -> eddySays(eddy, "An operand in the update expression has an incorrect data type")
                            && referenceSays(ref, "Incorrect operand type for operator or function")),
            new Deviation("moto's cancellation reasons ValueError and TypeError",
                    "DynamoDB's reason codes are None, ConditionalCheckFailed, ItemCollectionSizeLimitExceeded, "
                            + "TransactionConflict, ProvisionedThroughputExceeded, ThrottlingError and ValidationError "
                            + "(API Reference, TransactWriteItems); moto reports its own failures (ValueError, "
                            + "TypeError) as reasons",
                    (c, eddy, ref) -> referenceSays(ref, "ValueError") || referenceSays(ref, "TypeError")),
            new Deviation("moto lets a Query filter on the key it goes by",
                    "DynamoDB: 'Filter Expression can only contain non-primary key attributes: Primary key attribute: "
                            + "...' (captured from the service by dynalite's tests)",
                    (c, eddy, ref) -> eddySays(eddy, "Filter Expression can only contain non-primary key attributes")),
            new Deviation("moto's answer for an index the table does not have",
                    "DynamoDB: ValidationException 'The table does not have the specified index: ...' (dynalite's "
                            + "tests, run against the service); moto says ResourceNotFoundException",
                    (c, eddy, ref) -> eddySays(eddy, "The table does not have the specified index")),
            new Deviation("moto takes overlapping projection paths",
                    "DynamoDB refuses 'Two document paths overlap with each other' (Developer Guide, 'Projection "
                            + "expressions'; the service's and DynamoDB Local's text)",
                    (c, eddy, ref) -> eddySays(eddy, "Invalid ProjectionExpression: Two document paths overlap")),
            new Deviation("moto's text for a ReturnValues PutItem does not take",
                    "DynamoDB: 'ReturnValues can only be ALL_OLD or NONE' in the constraint envelope (real-service "
                            + "captures); moto says 'Return values set to invalid value'",
                    (c, eddy, ref) -> eddySays(eddy, "1 validation error detected: ReturnValues can only be ALL_OLD")),
            new Deviation("moto applied a write DynamoDB refuses",
                    "the item after an invalid write that moto took: Eddy's is the item before it, as DynamoDB's is",
                    (c, eddy, ref) -> c.kind().startsWith("invalid:") && c.kind().endsWith("the item after it")));

    /** The deviation that explains this difference, or null. */
    static Deviation explain(List<Deviation> known, RequestGenerator.Case c, Outcome eddy, Outcome reference) {
        for (Deviation d : known) {
            if (d.matcher().matches(c, eddy, reference)) {
                return d;
            }
        }
        return null;
    }

    private static JsonNode numbersCanonical(JsonNode node) {
        JsonNode copy = node.deepCopy();
        canonicaliseNumbers(copy);
        return copy;
    }

    private static void canonicaliseNumbers(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("N") && o.get("N").isTextual()) {
                o.put("N", canonical(o.get("N").asText()));
            }
            if (o.get("NS") instanceof com.fasterxml.jackson.databind.node.ArrayNode ns) {
                List<String> members = new java.util.ArrayList<>();
                ns.forEach(n -> members.add(canonical(n.asText())));
                members.sort(null);
                ns.removeAll();
                members.forEach(ns::add);
            }
            o.forEach(KnownDeviations::canonicaliseNumbers);
        } else if (node.isArray()) {
            node.forEach(KnownDeviations::canonicaliseNumbers);
        }
    }

    private static String canonical(String number) {
        try {
            BigDecimal d = new BigDecimal(number);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return number;
        }
    }

    private static JsonNode item(JsonNode result) {
        return result.has("Item") ? result.get("Item") : result.path("Attributes");
    }

    private static boolean onlyKeys(JsonNode result) {
        JsonNode item = item(result);
        if (item.isMissingNode() || item.isEmpty()) {
            return false;
        }
        java.util.Iterator<String> names = item.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("pk") && !n.equals("sk")) {
                return false;
            }
        }
        return true;
    }

    private static boolean noItem(JsonNode result) {
        return !result.has("Item") && !result.has("Attributes");
    }

    private static boolean noAttributes(JsonNode result) {
        return !result.has("Attributes") || result.get("Attributes").isEmpty();
    }

    private static JsonNode withoutKeys(JsonNode result) {
        ObjectNode copy = result.deepCopy();
        if (copy.get("Attributes") instanceof ObjectNode a) {
            a.remove("pk");
            a.remove("sk");
            if (a.isEmpty()) {
                copy.remove("Attributes");
            }
        }
        return copy;
    }

    private static JsonNode withoutMember(JsonNode result, String member) {
        ObjectNode copy = result.deepCopy();
        copy.remove(member);
        return copy;
    }
}
