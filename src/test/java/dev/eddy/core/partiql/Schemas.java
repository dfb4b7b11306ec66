package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.table.AttributeDefinition;
import dev.eddy.core.table.IndexDefinition;
import dev.eddy.core.table.KeyElement;
import dev.eddy.core.table.Projection;
import dev.eddy.core.table.TableDefinition;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The tables the PartiQL tests plan against: Music (Artist S, Year N; global index ByGenre on
 * Genre S) and Users (id S), and helpers to plan statements and compare requests.
 */
final class Schemas {
    static final ObjectMapper JSON = new ObjectMapper();

    static final TableDefinition MUSIC = table("Music",
            List.of(new KeyElement("Artist", KeyElement.HASH), new KeyElement("Year", KeyElement.RANGE)),
            List.of(new AttributeDefinition("Artist", "S"), new AttributeDefinition("Year", "N"),
                    new AttributeDefinition("Genre", "S")),
            List.of(IndexDefinition.global("ByGenre", List.of(new KeyElement("Genre", KeyElement.HASH)),
                    new Projection(IndexDefinition.ALL, null), null, TableDefinition.ACTIVE)));
    static final TableDefinition USERS = table("Users", List.of(new KeyElement("id", KeyElement.HASH)),
            List.of(new AttributeDefinition("id", "S")), List.of());

    private Schemas() {
    }

    /**
     * A table built by the record's component names, the rest left empty: the definition gains
     * members as features arrive, and planning only reads the keys and indexes.
     */
    private static TableDefinition table(String name, List<KeyElement> keys, List<AttributeDefinition> definitions,
                                         List<IndexDefinition> globalIndexes) {
        Map<String, Object> given = Map.of("tableName", name, "status", TableDefinition.ACTIVE, "keySchema", keys,
                "attributeDefinitions", definitions, "localSecondaryIndexes", List.of(),
                "globalSecondaryIndexes", globalIndexes, "tags", Map.of());
        RecordComponent[] components = TableDefinition.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            arguments[i] = given.containsKey(components[i].getName()) ? given.get(components[i].getName())
                    : types[i] == long.class ? 0L : types[i] == boolean.class ? false : null;
        }
        try {
            return TableDefinition.class.getDeclaredConstructor(types).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Planner PLANNER = new Planner(name -> switch (name) {
        case "Music" -> MUSIC;
        case "Users" -> USERS;
        default -> throw Errors.resourceNotFound();
    });

    static PlannedStatement plan(String statement, AttributeValue... parameters) {
        return plan(Planner.Mode.STATEMENT, statement, parameters);
    }

    static PlannedStatement plan(Planner.Mode mode, String statement, AttributeValue... parameters) {
        return PLANNER.plan(ParsedStatement.parse(statement), Parameters.of(List.of(parameters)), mode);
    }

    /** JSON written with single quotes, for readable expected requests. */
    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertValidation(String message, Executable planning) {
        DynamoException e = assertThrows(DynamoException.class, planning);
        assertEquals("ValidationException", e.type(), "type of: " + e.getMessage());
        assertEquals(message, e.getMessage());
    }
}
