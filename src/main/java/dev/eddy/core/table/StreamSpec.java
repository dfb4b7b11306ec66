package dev.eddy.core.table;

/** Whether a table has a change stream and what its records carry. */
public record StreamSpec(boolean enabled, String viewType) {
}
