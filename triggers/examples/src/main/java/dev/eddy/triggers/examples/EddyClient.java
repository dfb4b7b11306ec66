package dev.eddy.triggers.examples;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The triggers' way back into Eddy: the plain AWS SDK v2 DynamoDbClient, pointed at Eddy's
 * endpoint, exactly as any application would use DynamoDB.
 */
@ApplicationScoped
public class EddyClient {

    @ConfigProperty(name = "eddy.endpoint", defaultValue = "http://localhost:8000")
    URI endpoint;
    @ConfigProperty(name = "eddy.region", defaultValue = "us-east-1")
    String region;
    @ConfigProperty(name = "eddy.access-key-id", defaultValue = "eddy")
    String accessKeyId;
    @ConfigProperty(name = "eddy.secret-access-key", defaultValue = "eddy")
    String secretAccessKey;

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    void close(@Disposes DynamoDbClient client) {
        client.close();
    }
}
