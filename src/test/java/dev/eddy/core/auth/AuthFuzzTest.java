package dev.eddy.core.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.auth.policy.Policy;
import dev.eddy.core.auth.policy.PolicyVariables;
import dev.eddy.core.error.DynamoException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a client controls before any operation runs: the signature's parts (Authorization header,
 * query string, dates, token, body) and, from the operator's file, policy documents. A signature is
 * refused only with a DynamoDB error of HTTP 400; a policy only with IllegalArgumentException, and
 * one that reads evaluates without failing.
 */
class AuthFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Credential KEY = new Credential("AKIDFUZZ", "fuzz-secret", null, null,
            "arn:aws:iam::000000000000:user/fuzz", null);
    private static final SignatureVerifier VERIFIER = new SignatureVerifier(new Credentials() {
        @Override
        public Credential find(String accessKeyId) {
            return accessKeyId.equals(KEY.accessKeyId()) ? KEY : null;
        }

        @Override
        public int size() {
            return 1;
        }
    }, "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));

    @FuzzTest(maxDuration = "5s")
    void signedRequests(FuzzedDataProvider data) {
        String authorization = data.consumeBoolean() ? data.consumeString(300)
                : "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/" + data.consumeString(40) + ", SignedHeaders="
                + data.consumeString(40) + ", Signature=" + data.consumeString(70);
        String date = data.consumeBoolean() ? "20260102T030405Z" : data.consumeString(30);
        String query = data.consumeString(200);
        String token = data.consumeBoolean() ? data.consumeString(20) : null;
        Map<String, List<String>> headers = new java.util.HashMap<>();
        headers.put("host", List.of("localhost:8000"));
        if (data.consumeBoolean()) {
            headers.put("authorization", List.of(authorization));
        }
        if (data.consumeBoolean()) {
            headers.put(data.consumeBoolean() ? "x-amz-date" : "date", List.of(date));
        }
        if (token != null) {
            headers.put("x-amz-security-token", List.of(token));
        }
        SignedRequest request = new SignedRequest("POST", "/" + data.consumeString(20), query, headers,
                data.consumeRemainingAsBytes(), data.consumeBoolean());
        try {
            VERIFIER.verify(request);
        } catch (DynamoException e) {
            assertEquals(400, e.status(), e.wireType() + ": " + e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "5s")
    void policies(byte[] document) {
        JsonNode json;
        try {
            json = JSON.readTree(document);
        } catch (IOException notJson) {
            return; // CredentialsFile refuses the file whole (any IOException of the parse)
        }
        Policy policy;
        try {
            policy = Policy.parse(json);
        } catch (IllegalArgumentException refused) {
            return;
        }
        policy.evaluate(new AccessRequest("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:000000000000:table/T",
                Map.of("dynamodb:LeadingKeys", List.of("alice"), "dynamodb:Attributes", List.of("pk", "a"))),
                PolicyVariables.forCaller("arn:aws:iam::000000000000:user/alice", "AKIDALICE"));
    }
}
