package dev.eddy.functions.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Raw HTTP requests signed by the AWS SDK for Java v2's own SigV4 signer (the oracle: the server must
 * accept exactly what it signs), then sent as they are or altered, to see what the server says.
 */
final class SignedHttp {
    record Answer(int status, String body) {
    }

    /** What to sign: the defaults are a DynamoDB request with the admin key, now, in us-east-1. */
    static final class Signing {
        String accessKey = AuthenticatedProfile.ADMIN;
        String secret = AuthenticatedProfile.ADMIN_SECRET;
        String sessionToken;
        String region = "us-east-1";
        String service = "dynamodb";
        Clock clock = Clock.systemUTC();
        boolean presigned;
        boolean unsignedPayload;

        Signing key(String accessKey, String secret) {
            this.accessKey = accessKey;
            this.secret = secret;
            return this;
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static SdkHttpRequest sign(URI endpoint, String path, Map<String, String> headers, String body, Signing s) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(endpoint.toString().replaceAll("/$", "") + path));
        headers.forEach(request::putHeader);
        AwsCredentialsIdentity identity = s.sessionToken == null ? AwsCredentialsIdentity.create(s.accessKey, s.secret)
                : AwsSessionCredentialsIdentity.create(s.accessKey, s.secret, s.sessionToken);
        SignRequest.Builder<AwsCredentialsIdentity> b = SignRequest.builder(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, s.service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, s.region)
                .putProperty(HttpSigner.SIGNING_CLOCK, s.clock);
        if (s.presigned) {
            b.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                    .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
        }
        if (s.unsignedPayload) {
            b.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
        }
        return AwsV4HttpSigner.create().sign(b.build()).request();
    }

    /** A DynamoDB operation on the wire protocol (POST / with X-Amz-Target), signed. */
    static SdkHttpRequest signOperation(URI endpoint, String operation, String body, Signing s) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("X-Amz-Target", "DynamoDB_20120810." + operation);
        return sign(endpoint, "/", headers, body, s);
    }

    /** Sends the signed request, its headers changed by {@code edit} (null removes one), with this body. */
    static Answer send(SdkHttpRequest signed, String body, UnaryOperator<Map<String, String>> edit) throws Exception {
        return send(HTTP, signed, body, edit);
    }

    /** As {@link #send(SdkHttpRequest, String, UnaryOperator)}, with this client (one that trusts a test certificate). */
    static Answer send(HttpClient http, SdkHttpRequest signed, String body, UnaryOperator<Map<String, String>> edit)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            headers.put(h.getKey(), h.getValue().get(0));
        }
        headers = edit.apply(headers);
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach((k, v) -> {
            if (v != null && !k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
                b.header(k, v); // the client sets Host and Content-Length itself, to the same values
            }
        });
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static Answer send(SdkHttpRequest signed, String body) throws Exception {
        return send(signed, body, h -> h);
    }
}
