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
        assertScriptPasses("boto3_smoke.py", "boto3 and AWS CLI: ok");
    }

    /** Tags, continuous backups and the features tools ask about on every table (issue 17). */
    @Test
    void tableToolsCallsWorkThroughBoto3AndTheAwsCli() throws Exception {
        assertScriptPasses("table_tools_smoke.py", "table tools: ok");
    }

    /** On-demand backups as backup scripts drive them (issue 17, item 2). */
    @Test
    void backupScriptsWorkThroughBoto3AndTheAwsCli() throws Exception {
        assertScriptPasses("backups_smoke.py", "backups: ok");
    }

    private void assertScriptPasses(String name, String success) throws Exception {
        Path script = Path.of("src/test/python", name);
        Process p = new ProcessBuilder("python3", script.toString(), endpoint.toString().replaceAll("/$", ""))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the script finished");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(success), output);
    }
}
