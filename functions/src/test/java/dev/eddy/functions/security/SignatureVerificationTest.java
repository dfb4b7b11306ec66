package dev.eddy.functions.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.functions.InfinispanCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SigV4 on every route, with the AWS SDK for Java v2 as the oracle: what its client and its signer
 * produce is accepted, and every way of getting it wrong gets DynamoDB's error type, message and
 * status.
 */
@QuarkusTest
@TestProfile(AuthenticatedProfile.class)
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class SignatureVerificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST_TABLES = "{}";
    private static final String MISMATCH = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @TestHTTPResource("/")
    URL url;
    URI endpoint;

    @BeforeEach
    void endpoint() throws Exception {
        endpoint = url.toURI();
    }

    private static AwsServiceException sdkError(String type, Supplier<?> call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call::get);
        assertEquals(400, e.statusCode(), "status of " + e.awsErrorDetails());
        assertEquals(type, e.awsErrorDetails().errorCode(), "type");
        return e;
    }

    private static JsonNode error(SignedHttp.Answer a, String type) throws Exception {
        assertEquals(400, a.status(), a.body());
        JsonNode body = JSON.readTree(a.body());
        assertEquals("com.amazon.coral.service#" + type, body.path("__type").asText(), a.body());
        return body;
    }

    @Test
    void theSdkClientIsServedWithAConfiguredKey() {
        try (DynamoDbClient admin = Clients.admin(endpoint)) {
            String table = "Sig-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            admin.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType("S")));
            admin.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("a b/c"), "n", AttributeValue.fromN("1"))));
            assertEquals("1", admin.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("a b/c")))).item().get("n").n());
            assertTrue(admin.listTables().tableNames().contains(table));
        }
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() {
        try (DynamoDbClient c = Clients.dynamo(endpoint, AuthenticatedProfile.ADMIN, "not-the-secret")) {
            assertEquals(MISMATCH, sdkError("InvalidSignatureException", c::listTables).awsErrorDetails().errorMessage());
        }
    }

    @Test
    void anUnknownKeyIsAnUnrecognizedClient() {
        try (DynamoDbClient c = Clients.dynamo(endpoint, "AKIDNOBODY", "whatever")) {
            assertEquals("The security token included in the request is invalid.",
                    sdkError("UnrecognizedClientException", c::listTables).awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aSignatureForAnotherRegionIsRefused() {
        try (DynamoDbClient c = Clients.dynamo(endpoint, AwsBasicCredentials.create(AuthenticatedProfile.ADMIN,
                AuthenticatedProfile.ADMIN_SECRET), Region.US_WEST_2)) {
            assertEquals("Credential should be scoped to a valid region, not 'us-west-2'. ",
                    sdkError("InvalidSignatureException", c::listTables).awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aSignatureForAnotherServiceIsRefused() throws Exception {
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.service = "sqs";
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, s);
        assertEquals("Credential should be scoped to correct service: 'dynamodb'. ",
                error(SignedHttp.send(signed, LIST_TABLES), "InvalidSignatureException").path("message").asText());
    }

    @Test
    void aSignatureOlderThanFifteenMinutesHasExpired() throws Exception {
        Instant signedAt = Instant.now().minus(Duration.ofMinutes(16)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.clock = Clock.fixed(signedAt, ZoneOffset.UTC);
        String message = error(SignedHttp.send(SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, s),
                LIST_TABLES), "InvalidSignatureException").path("message").asText();
        // "Signature expired: <signed> is now earlier than <now - 15 min> (<now> - 15 min.)"
        assertTrue(message.matches("Signature expired: " + BASIC.format(signedAt)
                + " is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 15 min\\.\\)"), message);
        java.util.List<String> times = java.util.regex.Pattern.compile("\\d{8}T\\d{6}Z").matcher(message).results()
                .map(java.util.regex.MatchResult::group).toList();
        Instant earliest = Instant.from(BASIC.parse(times.get(1)));
        Instant now = Instant.from(BASIC.parse(times.get(2)));
        assertEquals(Duration.ofMinutes(15), Duration.between(earliest, now));
    }

    @Test
    void aSignatureFromTheFutureIsNotYetCurrent() throws Exception {
        Instant signedAt = Instant.now().plus(Duration.ofMinutes(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.clock = Clock.fixed(signedAt, ZoneOffset.UTC);
        String message = error(SignedHttp.send(SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, s),
                LIST_TABLES), "InvalidSignatureException").path("message").asText();
        assertTrue(message.matches("Signature not yet current: " + BASIC.format(signedAt)
                + " is still later than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z \\+ 15 min\\.\\)"), message);
    }

    @Test
    void aSignatureWithinTheWindowIsAccepted() throws Exception {
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.clock = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        assertEquals(200, SignedHttp.send(SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, s), LIST_TABLES)
                .status());
    }

    @Test
    void aTamperedBodyBreaksTheSignature() throws Exception {
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", "{\"Limit\":1}", new SignedHttp.Signing());
        assertEquals(200, SignedHttp.send(signed, "{\"Limit\":1}").status());
        assertEquals(MISMATCH, error(SignedHttp.send(signed, "{\"Limit\":2}"), "InvalidSignatureException")
                .path("message").asText());
    }

    @Test
    void aTamperedSignedHeaderBreaksTheSignature() throws Exception {
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, new SignedHttp.Signing());
        SignedHttp.Answer a = SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("X-Amz-Target", "DynamoDB_20120810.DescribeTable");
            return h;
        });
        assertEquals(MISMATCH, error(a, "InvalidSignatureException").path("message").asText());
    }

    @Test
    void noSignatureAtAllIsAMissingToken() throws Exception {
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, new SignedHttp.Signing());
        SignedHttp.Answer a = SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("Authorization", null);
            return h;
        });
        assertEquals("Request is missing Authentication Token",
                error(a, "MissingAuthenticationTokenException").path("message").asText());
    }

    @Test
    void aSignatureWithoutItsDateHeaderIsIncomplete() throws Exception {
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, new SignedHttp.Signing());
        String authorization = signed.firstMatchingHeader("Authorization").orElseThrow();
        SignedHttp.Answer a = SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("X-Amz-Date", null);
            return h;
        });
        assertEquals("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                + "Authorization=" + authorization, error(a, "IncompleteSignatureException").path("message").asText());
    }

    @Test
    void anAuthorizationHeaderMissingItsPartsIsIncomplete() throws Exception {
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, new SignedHttp.Signing());
        String garbled = "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date";
        SignedHttp.Answer a = SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("Authorization", garbled);
            return h;
        });
        assertEquals("Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
                + "parameter. Authorization=" + garbled, error(a, "IncompleteSignatureException").path("message").asText());

        String bearer = "Bearer eyJhbGciOiJIUzI1NiJ9";
        SignedHttp.Answer b = SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("Authorization", bearer);
            return h;
        });
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(bearer.getBytes(StandardCharsets.UTF_8)));
        assertEquals("Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and "
                + "encoded with Base64): '" + hash + "'.", error(b, "IncompleteSignatureException").path("message").asText());

        String shortCredential = signed.firstMatchingHeader("Authorization").orElseThrow()
                .replaceFirst("Credential=[^/]+/", "Credential=");
        SignedHttp.Answer c = SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("Authorization", shortCredential);
            return h;
        });
        assertTrue(error(c, "IncompleteSignatureException").path("message").asText().startsWith(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"),
                c.body());
    }

    @Test
    void temporaryCredentialsNeedTheirSessionTokenAndExpire() {
        try (DynamoDbClient c = Clients.session(endpoint, AuthenticatedProfile.TEMP, AuthenticatedProfile.TEMP_SECRET,
                AuthenticatedProfile.TEMP_TOKEN)) {
            c.listTables();
        }
        try (DynamoDbClient c = Clients.session(endpoint, AuthenticatedProfile.TEMP, AuthenticatedProfile.TEMP_SECRET,
                "another-token")) {
            sdkError("UnrecognizedClientException", c::listTables);
        }
        try (DynamoDbClient c = Clients.dynamo(endpoint, AuthenticatedProfile.TEMP, AuthenticatedProfile.TEMP_SECRET)) {
            sdkError("UnrecognizedClientException", c::listTables);
        }
        try (DynamoDbClient c = Clients.session(endpoint, AuthenticatedProfile.ADMIN, AuthenticatedProfile.ADMIN_SECRET,
                AuthenticatedProfile.TEMP_TOKEN)) {
            sdkError("UnrecognizedClientException", c::listTables);
        }
        try (DynamoDbClient c = Clients.session(endpoint, AuthenticatedProfile.EXPIRED, AuthenticatedProfile.EXPIRED_SECRET,
                AuthenticatedProfile.EXPIRED_TOKEN)) {
            assertEquals("The security token included in the request is expired",
                    sdkError("ExpiredTokenException", c::listTables).awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aPresignedRequestIsAccepted() throws Exception {
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.presigned = true;
        SdkHttpRequest signed = SignedHttp.signOperation(endpoint, "ListTables", LIST_TABLES, s);
        assertTrue(signed.getUri().getRawQuery().contains("X-Amz-Signature="), signed.getUri().toString());
        assertEquals(200, SignedHttp.send(signed, LIST_TABLES).status());
        assertEquals(MISMATCH, error(SignedHttp.send(signed, "{\"Limit\":3}"), "InvalidSignatureException")
                .path("message").asText());
    }

    @Test
    void anUnsignedPayloadIsRefusedWithoutTls() throws Exception {
        SignedHttp.Signing s = new SignedHttp.Signing();
        s.unsignedPayload = true;
        // The SDK leaves the payload unsigned only for https: sign as if for https, send over plain HTTP.
        URI https = URI.create(endpoint.toString().replaceFirst("^http:", "https:"));
        SdkHttpRequest signed = SignedHttp.signOperation(https, "ListTables", LIST_TABLES, s);
        assertEquals("UNSIGNED-PAYLOAD", signed.firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        SdkHttpRequest plain = signed.toBuilder().protocol("http").build();
        assertEquals(MISMATCH, error(SignedHttp.send(plain, LIST_TABLES), "InvalidSignatureException")
                .path("message").asText());
    }

    @Test
    void theFunctionRoutesAndCloudEventsAreSignedToo() throws Exception {
        Map<String, String> json = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
        SdkHttpRequest signed = SignedHttp.sign(endpoint, "/ListTables", json, LIST_TABLES, new SignedHttp.Signing());
        assertEquals(200, SignedHttp.send(signed, LIST_TABLES).status());
        error(SignedHttp.send(signed, LIST_TABLES, h -> {
            h.put("Authorization", null);
            return h;
        }), "MissingAuthenticationTokenException");

        Map<String, String> event = new LinkedHashMap<>(json);
        event.putAll(Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "test", "ce-type", "ListTables"));
        SdkHttpRequest signedEvent = SignedHttp.sign(endpoint, "/", event, LIST_TABLES, new SignedHttp.Signing());
        assertEquals(200, SignedHttp.send(signedEvent, LIST_TABLES).status());
        error(SignedHttp.send(signedEvent, LIST_TABLES, h -> {
            h.put("Authorization", null);
            return h;
        }), "MissingAuthenticationTokenException");
        SignedHttp.Signing wrong = new SignedHttp.Signing().key(AuthenticatedProfile.ADMIN, "wrong");
        error(SignedHttp.send(SignedHttp.sign(endpoint, "/", event, LIST_TABLES, wrong), LIST_TABLES),
                "InvalidSignatureException");

        // Funqy also answers GET /{function}: it is signed like any other request.
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(endpoint.toString() + "ListTables")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, get.statusCode(), get.body());
        assertTrue(get.body().contains("MissingAuthenticationTokenException"), get.body());
    }

    @Test
    void theStreamsApiIsSigned() {
        try (var streams = Clients.streams(endpoint, AuthenticatedProfile.ADMIN, "wrong")) {
            sdkError("InvalidSignatureException", streams::listStreams);
        }
        try (var streams = Clients.streams(endpoint, "AKIDNOBODY", "x")) {
            sdkError("UnrecognizedClientException", streams::listStreams);
        }
    }
}
