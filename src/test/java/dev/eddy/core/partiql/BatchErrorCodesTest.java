package dev.eddy.core.partiql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.core.error.Errors;
import dev.eddy.core.error.PartiqlErrors;
import org.junit.jupiter.api.Test;

/**
 * BatchExecuteStatement's per-statement Error.Code takes only the values of DynamoDB's
 * BatchStatementErrorCodeEnum: a statement the store could not serve, or that ran past the request
 * timeout (ServiceUnavailable as a request's error), is InternalServerError there.
 */
class BatchErrorCodesTest {
    @Test
    void aStatementTheStoreCouldNotServeIsAnInternalServerError() {
        assertEquals("InternalServerError", PartiqlErrors.batchErrorCode(Errors.requestTimedOut(10_000)));
        assertEquals("InternalServerError", PartiqlErrors.batchErrorCode(Errors.storeUnavailable()));
        assertEquals("InternalServerError", PartiqlErrors.batchErrorCode(Errors.internal("x")));
    }

    @Test
    void otherErrorsKeepTheirNamesWithoutException() {
        assertEquals("ValidationError", PartiqlErrors.batchErrorCode(Errors.validation("x")));
        assertEquals("ConditionalCheckFailed", PartiqlErrors.batchErrorCode(Errors.conditionalCheckFailed()));
    }
}
