package dev.eddy.core.table;

/** A key attribute's name and scalar type: S, N or B. */
public record AttributeDefinition(String attributeName, String attributeType) {
}
