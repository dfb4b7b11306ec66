package dev.eddy.core.table;

import java.util.List;

/** Which attributes a secondary index copies: KEYS_ONLY, INCLUDE (with NonKeyAttributes) or ALL. */
public record Projection(String projectionType, List<String> nonKeyAttributes) {
}
