package dev.eddy.core.operation;

import dev.eddy.core.error.Errors;

/**
 * The ARNs Eddy's tables go by, {@code arn:aws:dynamodb:<region>:<account>:table/<name>}, with
 * {@code /index/<name>} or {@code /stream/<label>} after it for an index or a stream.
 */
final class ResourceArns {
    private ResourceArns() {
    }

    /** What an ARN names below the table: nothing (the table), an index, or a stream. */
    enum Kind { TABLE, INDEX, STREAM, OTHER }

    /** A parsed ARN of this Eddy's account and region. */
    record Arn(String table, Kind kind) {
    }

    static String tablePrefix(OperationContext context) {
        return "arn:aws:dynamodb:" + context.config().region() + ":" + context.config().accountId() + ":table/";
    }

    /** The ARN's parts, or null when it is not one of this account and region. */
    static Arn parse(OperationContext context, String arn) {
        String prefix = tablePrefix(context);
        if (!arn.startsWith(prefix) || arn.length() == prefix.length()) {
            return null;
        }
        String rest = arn.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return new Arn(rest, Kind.TABLE);
        }
        String table = rest.substring(0, slash);
        String below = rest.substring(slash + 1);
        Kind kind = below.startsWith("index/") ? Kind.INDEX : below.startsWith("stream/") ? Kind.STREAM : Kind.OTHER;
        return new Arn(table, kind);
    }

    /** A table ARN, as the tag operations take it: anything else is DynamoDB's "Invalid TableArn". */
    static String tableOf(OperationContext context, String arn) {
        Arn parsed = parse(context, arn);
        if (parsed == null || parsed.kind() != Kind.TABLE) {
            throw Errors.invalidTableArn(arn);
        }
        return parsed.table();
    }

    /**
     * The newer operations' TableName, which may also be the table's ARN (API Reference, e.g.
     * DescribeContinuousBackups: "You can also provide the Amazon Resource Name (ARN) of the table").
     */
    static String tableName(OperationContext context, String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? tableOf(context, nameOrArn) : nameOrArn;
    }
}
