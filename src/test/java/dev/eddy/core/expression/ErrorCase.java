package dev.eddy.core.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.AttributeValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One line of {@value #FILE}: the members of a request DynamoDB refuses, and its exact error. The
 * application's ExpressionErrorsThroughTheSdkTest sends the same cases through the AWS SDK; here
 * they are parsed as the operation parses them, without a server.
 */
record ErrorCase(String section, int line, JsonNode request) {
    static final String FILE = "/expression-errors.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {{text*n}}: text written n times, $i in it counting 1..n. */
    private static final Pattern REPEAT = Pattern.compile("\\{\\{(.*?)\\*(\\d+)}}");
    private static List<ErrorCase> all;

    static synchronized List<ErrorCase> all() {
        if (all == null) {
            all = load();
        }
        return all;
    }

    /** The cases under "## name", in file order. */
    static Stream<ErrorCase> section(String name) {
        List<ErrorCase> cases = all().stream().filter(c -> c.section.equals(name)).toList();
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no section \"" + name + "\" in " + FILE);
        }
        return cases.stream();
    }

    private static List<ErrorCase> load() {
        List<ErrorCase> cases = new ArrayList<>();
        try (InputStream in = ErrorCase.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is not on the test classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String section = null;
            int number = 0;
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.startsWith("## ")) {
                    section = text.substring(3).trim();
                } else if (!text.isBlank() && !text.startsWith("#")) {
                    cases.add(new ErrorCase(section, number, JSON.readTree(text)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static String expand(String text) {
        Matcher m = REPEAT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            StringBuilder repeated = new StringBuilder();
            for (int i = 1; i <= Integer.parseInt(m.group(2)); i++) {
                repeated.append(m.group(1).replace("$i", Integer.toString(i)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(repeated.toString()));
        }
        return m.appendTail(out).toString();
    }

    String type() {
        return request.path("type").asText("ValidationException");
    }

    String message() {
        return expand(request.get("message").asText());
    }

    /** An expression member, expanded; null when the case does not give it. */
    private String text(String member) {
        JsonNode node = request.get(member);
        return node == null ? null : expand(node.asText());
    }

    /** The error the core raises for this case must be the one DynamoDB sends: type, status 400, message. */
    void assertRefused() {
        DynamoException e = assertThrows(DynamoException.class, this::parseAsTheOperationDoes, this::toString);
        assertEquals(type(), e.type(), () -> this + ": type of " + e.getMessage());
        assertEquals(400, e.status(), () -> this + ": status");
        assertEquals(message(), e.getMessage(), this::toString);
    }

    /**
     * The steps an operation takes before it touches storage, in the operations' order:
     * placeholders, the UpdateExpression, the ConditionExpression (or else Expected), the
     * ProjectionExpression, the KeyConditionExpression, unused placeholders; then the update is
     * applied to the stored item, as UpdateItem does inside its compare-and-set.
     */
    private void parseAsTheOperationDoes() {
        Placeholders placeholders = Placeholders.read(request.get("ExpressionAttributeNames"),
                request.get("ExpressionAttributeValues"));
        Update update = text("UpdateExpression") == null ? null : Expressions.update(text("UpdateExpression"), placeholders);
        if (text("ConditionExpression") != null) {
            Expressions.condition(text("ConditionExpression"), placeholders);
        } else if (request.has("Expected") || request.has("ConditionalOperator")) {
            Expected.condition(expected(), text("ConditionalOperator"));
        }
        if (text("ProjectionExpression") != null) {
            Expressions.projection(text("ProjectionExpression"), placeholders);
        }
        if (text("KeyConditionExpression") != null) {
            Expressions.keyCondition(text("KeyConditionExpression"), placeholders, keySchema());
        }
        placeholders.checkAllUsed();
        if (request.has("item")) {
            update.apply(AttributeValueJson.readItem(request.get("item"), "item"));
        }
    }

    private Map<String, Expected.Expectation> expected() {
        JsonNode node = request.get("Expected");
        if (node == null) {
            return null;
        }
        Map<String, Expected.Expectation> expected = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode x = e.getValue();
            List<AttributeValue> list = null;
            if (x.has("AttributeValueList")) {
                list = new ArrayList<>();
                for (JsonNode v : x.get("AttributeValueList")) {
                    list.add(AttributeValueJson.read(v, 0));
                }
            }
            expected.put(e.getKey(), new Expected.Expectation(
                    x.has("Value") ? AttributeValueJson.read(x.get("Value"), 0) : null,
                    x.has("Exists") ? Boolean.valueOf(x.get("Exists").asBoolean()) : null,
                    x.has("ComparisonOperator") ? x.get("ComparisonOperator").asText() : null, list));
        }
        return expected;
    }

    /** The first attribute of keySchema is the partition key, a second one the sort key. */
    private KeyCondition.Schema keySchema() {
        List<Map.Entry<String, JsonNode>> keys = new ArrayList<>();
        request.get("keySchema").fields().forEachRemaining(keys::add);
        Map.Entry<String, JsonNode> sort = keys.size() > 1 ? keys.get(1) : null;
        return new KeyCondition.Schema(keys.get(0).getKey(), keys.get(0).getValue().asText(),
                sort == null ? null : sort.getKey(), sort == null ? null : sort.getValue().asText());
    }

    /** The line and the first expression, shortened: how a failing case is named. */
    @Override
    public String toString() {
        String shown = "";
        for (String member : List.of("UpdateExpression", "ConditionExpression", "ProjectionExpression",
                "KeyConditionExpression", "Expected", "ConditionalOperator")) {
            if (request.has(member)) {
                shown = member + " " + (request.get(member).isTextual() ? request.get(member).asText() : request.get(member));
                break;
            }
        }
        return "line " + line + ": " + (shown.length() > 90 ? shown.substring(0, 90) + "..." : shown);
    }
}
