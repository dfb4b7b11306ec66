package dev.eddy.triggers.mappings;

import dev.eddy.core.table.TableCatalog;

/**
 * What the event source mapping operations need: the mappings, the functions they may call, the
 * tables whose streams feed them, and where this Eddy is (ARNs name its region and account).
 */
public record MappingContext(EventSourceMappings mappings, FunctionDirectory functions, TableCatalog catalog,
                             String region, String accountId) {

    /** The Lambda function ARN a function name stands for in this region and account. */
    String functionArn(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }
}
