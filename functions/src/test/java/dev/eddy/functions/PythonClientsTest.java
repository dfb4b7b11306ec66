package dev.eddy.functions;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** boto3 (resource and client layers) and the AWS CLI against Eddy, run as a Python user runs them. */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class PythonClientsTest extends DynamoTestBase {

    @Test
    void boto3AndAwsCliWorkUnchanged() throws Exception {
        Path script = Path.of("src/test/python/boto3_smoke.py");
        Process p = new ProcessBuilder("python3", script.toString(), endpoint.toString().replaceAll("/$", ""))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script finished");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("boto3 and AWS CLI: ok"), output);
    }
}
