package dev.eddy.functions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * DynamoDB's JSON 1.0 wire protocol, request by request, signed with SigV4 as the SDKs sign: raw
 * bodies, so that requests the SDKs would refuse on the client side reach the server too.
 */
final class WireClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** A response: its HTTP status and JSON body (an empty object when it has none). */
    record Response(int status, JsonNode body) {
    }

    WireClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    Response call(String operation, JsonNode request) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(request);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(AwsCredentialsIdentity.create("test", "test"))
                .request(unsigned).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            // java.net.http sets these itself, to the same values.
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Content-Length")) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new Response(response.statusCode(), JSON.createObjectNode());
        }
        try {
            return new Response(response.statusCode(), JSON.readTree(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            // An error page (a server's crash): kept whole, so the report shows it.
            return new Response(response.statusCode(), JSON.createObjectNode().put("__type", "#NotJson").put("message",
                    text.length() > 300 ? text.substring(0, 300) : text));
        }
    }

    /** HttpClient has no close before Java 21; its connections end with the test JVM. */
    @Override
    public void close() {
    }
}
