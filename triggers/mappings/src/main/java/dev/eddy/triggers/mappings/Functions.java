package dev.eddy.triggers.mappings;

import dev.eddy.core.error.LambdaErrors;

/** Binds a mapping to the function its FunctionName names, as FunctionArn reports it. */
final class Functions {
    private Functions() {
    }

    /** The mapping calling {@code functionName}: a URL as it is, or a registered function by its ARN. */
    static EventSourceMapping bind(MappingContext c, EventSourceMapping m, String functionName) {
        String arn;
        if (FunctionDirectory.url(functionName) != null) {
            arn = functionName;
        } else {
            String name = FunctionDirectory.nameOf(functionName);
            if (name == null) {
                throw LambdaErrors.outOfRange("functionName", functionName, "Member must satisfy regular expression "
                        + "pattern: a function name, a function ARN, or (Eddy) an http or https URL");
            }
            arn = c.functionArn(name);
            if (c.functions().find(name) == null) {
                throw LambdaErrors.functionNotFound(arn);
            }
        }
        return new EventSourceMapping(m.uuid(), m.eventSourceArn(), functionName, arn, m.enabled(), m.batchSize(),
                m.maximumBatchingWindowInSeconds(), m.parallelizationFactor(), m.startingPosition(),
                m.maximumRecordAgeInSeconds(), m.bisectBatchOnFunctionError(), m.maximumRetryAttempts(),
                m.tumblingWindowInSeconds(), m.functionResponseTypes(), m.onFailure(), m.filterCriteria(), m.state(),
                m.stateTransitionReason(), m.lastProcessingResult(), m.createdMillis(), m.lastModifiedMillis(),
                m.revision());
    }
}
