package dev.eddy.functions.security;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Real AWS SDK v2 clients with the security tests' keys; errors reach the test as they are (no retries). */
final class Clients {
    private Clients() {
    }

    static DynamoDbClient dynamo(URI endpoint, String key, String secret) {
        return dynamo(endpoint, AwsBasicCredentials.create(key, secret), Region.US_EAST_1);
    }

    static DynamoDbClient restricted(URI endpoint, String key) {
        return dynamo(endpoint, key, key + AuthenticatedProfile.SECRET_SUFFIX);
    }

    static DynamoDbClient admin(URI endpoint) {
        return dynamo(endpoint, AuthenticatedProfile.ADMIN, AuthenticatedProfile.ADMIN_SECRET);
    }

    static DynamoDbClient session(URI endpoint, String key, String secret, String token) {
        return dynamo(endpoint, AwsSessionCredentials.create(key, secret, token), Region.US_EAST_1);
    }

    static DynamoDbClient dynamo(URI endpoint, AwsCredentials credentials, Region region) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    static DynamoDbStreamsClient streams(URI endpoint, String key, String secret) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}
