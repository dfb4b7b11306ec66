package dev.eddy.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.json.JsonReading;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * DynamoDB's JSON limits on the mapper Quarkus makes, which Funqy copies to read every function's
 * body: an attribute name may have 65 535 bytes (as on the wire path), where Jackson stops at 50 000
 * characters. Quarkus' customizer hook rather than a mapper of our own, so Funqy keeps its settings.
 */
@Singleton
public class FunqyJsonLimits implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(JsonReading.CONSTRAINTS);
    }
}
