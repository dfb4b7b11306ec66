package dev.eddy.functions.security;

import dev.eddy.functions.InfinispanCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** boto3 and the AWS CLI sign as a Python user's code does; Eddy verifies them and applies policies. */
@QuarkusTest
@TestProfile(AuthenticatedProfile.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class PythonClientsAuthTest {
    @TestHTTPResource("/")
    URL endpoint;

    @Test
    void boto3AndTheAwsCliAreVerified() throws Exception {
        Process p = new ProcessBuilder("python3", Path.of("src/test/python/auth_clients.py").toString(),
                endpoint.toString().replaceAll("/$", ""), AuthenticatedProfile.ADMIN, AuthenticatedProfile.ADMIN_SECRET,
                AuthenticatedProfile.READER, AuthenticatedProfile.READER + AuthenticatedProfile.SECRET_SUFFIX)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the script finished");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("boto3 and AWS CLI with authentication: ok"), output);
    }
}
