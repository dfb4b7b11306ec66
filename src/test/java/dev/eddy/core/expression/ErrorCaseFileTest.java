package dev.eddy.core.expression;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The shared case file: a section no core test reads would be checked through the SDK only. */
class ErrorCaseFileTest {
    @Test
    void everySectionIsReadByACoreTest() {
        Set<String> read = Stream.of(SyntaxErrorsTest.class, ExpressionErrorsTest.class, KeyConditionTest.class,
                        PlaceholdersTest.class, ExpectedTest.class, UpdateTest.class)
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
                .map(m -> m.getAnnotation(ErrorCases.class)).filter(Objects::nonNull)
                .map(ErrorCases::value).collect(Collectors.toSet());
        Set<String> sections = ErrorCase.all().stream().map(ErrorCase::section).collect(Collectors.toSet());
        assertEquals(sections, read);
    }

    @Test
    void everyCaseHasASectionAndAMessage() {
        for (ErrorCase c : ErrorCase.all()) {
            assertNotNull(c.section(), c::toString);
            assertNotNull(c.request().get("message"), c::toString);
        }
    }
}
