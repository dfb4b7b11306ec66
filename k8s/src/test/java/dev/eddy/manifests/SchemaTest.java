package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every resource in k8s/, knative/ and the trigger template is valid against the published schema of its kind. */
class SchemaTest {

    @TestFactory
    Stream<DynamicTest> everyResourceIsValidAgainstItsSchema() {
        return Manifests.all().stream().map(m -> DynamicTest.dynamicTest(m.toString(), () ->
                assertEquals(List.of(), Schemas.problems(m), m + " against " + Schemas.schemaName(m).orElse("nothing"))));
    }

    /** The trigger template's Knative Service and KafkaSource, which a user copies and applies. */
    @TestFactory
    Stream<DynamicTest> theTriggerTemplatesResourcesAreValidAgainstTheirSchemas() {
        List<Manifest> template = Manifests.in("triggers/template/knative");
        assertEquals(2, template.size(), "a Service and a KafkaSource");
        return template.stream().map(m -> DynamicTest.dynamicTest(m.toString(), () ->
                assertEquals(List.of(), Schemas.problems(m), m + " against " + Schemas.schemaName(m).orElse("nothing"))));
    }

    @Test
    void bothFoldersHaveResources() {
        for (String folder : Manifests.FOLDERS) {
            assertFalse(Manifests.files(folder).isEmpty(), folder + " has no manifests");
        }
    }
}
