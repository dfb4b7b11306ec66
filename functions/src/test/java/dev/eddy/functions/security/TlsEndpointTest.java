package dev.eddy.functions.security;

import dev.eddy.functions.InfinispanCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the HTTP endpoint: the AWS SDK talks to it over HTTPS when it trusts the configured
 * certificate, and not when it does not; over TLS a client may leave the payload unsigned.
 */
@QuarkusTest
@TestProfile(TlsProfile.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class TlsEndpointTest {
    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private static TrustManager[] trustTheTestCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TlsProfile.keyStore())) {
            store.load(in, TlsProfile.PASSWORD.toCharArray());
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        return f.getTrustManagers();
    }

    private DynamoDbClient client(boolean trusting) throws Exception {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
        if (trusting) {
            TrustManager[] trust = trustTheTestCertificate();
            http.tlsTrustManagersProvider(() -> trust);
        }
        return DynamoDbClient.builder().endpointOverride(url.toURI()).region(Region.US_EAST_1).httpClient(http.build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        AuthenticatedProfile.ADMIN, AuthenticatedProfile.ADMIN_SECRET))).build();
    }

    @Test
    void theSdkTalksHttpsToTheConfiguredCertificate() throws Exception {
        assertEquals("https", url.getProtocol());
        try (DynamoDbClient dynamo = client(true)) {
            String table = "Tls-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            dynamo.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType("S")));
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("over-tls"))));
            assertTrue(dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("over-tls")))).hasItem());
        }
        try (DynamoDbClient untrusting = client(false)) {
            assertThrows(SdkClientException.class, untrusting::listTables);
        }
    }

    @Test
    void overTlsThePayloadMayBeUnsigned() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustTheTestCertificate(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.unsignedPayload = true;
        SdkHttpRequest signed = SignedHttp.signOperation(URI.create(url.toString()), "ListTables", "{}", s);
        assertEquals("UNSIGNED-PAYLOAD", signed.firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertEquals(200, SignedHttp.send(http, signed, "{\"Limit\":5}", h -> h).status());
    }
}
