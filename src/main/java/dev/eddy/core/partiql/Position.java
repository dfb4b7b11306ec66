package dev.eddy.core.partiql;

/**
 * Where a token or node sits in the statement: line and column from 1, and its length in
 * characters. DynamoDB ends many PartiQL errors with it as " at line:column:length".
 */
public record Position(int line, int column, int length) {
    /** The suffix DynamoDB appends to an error message, e.g. " at 1:8:5". */
    public String at() {
        return " at " + line + ":" + column + ":" + length;
    }
}
