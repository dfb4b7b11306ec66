package dev.eddy.core.expression;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/** A parameterized test's arguments: the {@link ErrorCase}s of one section of the shared case file. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ArgumentsSource(ErrorCases.Provider.class)
@interface ErrorCases {
    /** The section, as named after "## " in the file. */
    String value();

    final class Provider extends AnnotationBasedArgumentsProvider<ErrorCases> {
        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
                                                               ExtensionContext context, ErrorCases section) {
            return ErrorCase.section(section.value()).map(Arguments::of);
        }
    }
}
