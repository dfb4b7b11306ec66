package dev.eddy.functions.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.functions.InfinispanCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;

/**
 * The Lambda API's event source mappings behind the same SigV4 check as DynamoDB's operations, signed
 * for the service "lambda", and authorized on lambda:* actions by the caller's policy.
 */
@QuarkusTest
@TestProfile(AuthenticatedProfile.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class LambdaAuthTest {
    @TestHTTPResource("/")
    URL endpoint;

    private LambdaClient lambda(String key, String secret) throws Exception {
        return LambdaClient.builder().endpointOverride(URI.create(endpoint.toString())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void aSignedCallerListsMappingsAndABadSignatureIsRefused() throws Exception {
        try (LambdaClient admin = lambda(AuthenticatedProfile.ADMIN, AuthenticatedProfile.ADMIN_SECRET)) {
            admin.listEventSourceMappings(r -> { }); // verified for the service "lambda"
        }
        try (LambdaClient forger = lambda(AuthenticatedProfile.ADMIN, "not-the-secret")) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> forger.listEventSourceMappings(r -> { }));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void aPolicyAllowsLambdaActionsOneByOne() throws Exception {
        String key = AuthenticatedProfile.MAPPINGS_READER;
        try (LambdaClient reader = lambda(key, key + AuthenticatedProfile.SECRET_SUFFIX)) {
            reader.listEventSourceMappings(r -> { });
            AwsServiceException denied = assertThrows(AwsServiceException.class, () -> reader.createEventSourceMapping(r -> r
                    .eventSourceArn("arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-01-01T00:00:00.000")
                    .functionName("http://127.0.0.1:9/f").startingPosition(EventSourcePosition.LATEST)));
            assertEquals(403, denied.statusCode());
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertTrue(denied.awsErrorDetails().errorMessage().contains("lambda:CreateEventSourceMapping"),
                    denied.awsErrorDetails().errorMessage());
        }
    }
}
