package dev.eddy.triggers.dispatcher;

/**
 * How one invocation of the trigger function ended, as the retry logic needs to know it.
 *
 * @param failedFrom for {@link Kind#PARTIAL_FAILURE}: the position in the batch of the earliest
 *        record the function reported as failed
 * @param state with tumbling windows, the window state the function answered with (JSON), else null
 */
record InvocationResult(Kind kind, int failedFrom, String error, String state) {

    enum Kind {
        /** 2xx, and no reported failures. */
        SUCCESS,
        /** 2xx with {@code batchItemFailures} naming records of the batch (ReportBatchItemFailures). */
        PARTIAL_FAILURE,
        /** The function failed: an error status, a timeout, a broken connection, a malformed failure report. */
        FUNCTION_ERROR,
        /**
         * The batch did not reach the function (connection refused, 429, 503). As in Lambda, such
         * throttles and service errors are retried but do not count against MaximumRetryAttempts.
         */
        NOT_DELIVERED
    }

    static final InvocationResult SUCCESS = new InvocationResult(Kind.SUCCESS, -1, null, null);

    static InvocationResult partialFailure(int failedFrom) {
        return new InvocationResult(Kind.PARTIAL_FAILURE, failedFrom, "the function reported failed records", null);
    }

    static InvocationResult functionError(String error) {
        return new InvocationResult(Kind.FUNCTION_ERROR, -1, error, null);
    }

    static InvocationResult notDelivered(String error) {
        return new InvocationResult(Kind.NOT_DELIVERED, -1, error, null);
    }

    InvocationResult withState(String newState) {
        return new InvocationResult(kind, failedFrom, error, newState);
    }
}
