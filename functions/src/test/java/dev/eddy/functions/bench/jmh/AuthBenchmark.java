package dev.eddy.functions.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.auth.Authorizer;
import dev.eddy.core.auth.Caller;
import dev.eddy.core.auth.Credential;
import dev.eddy.core.auth.Credentials;
import dev.eddy.core.auth.SignatureVerifier;
import dev.eddy.core.auth.SignedRequest;
import dev.eddy.core.auth.policy.Policy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What authentication adds to a request: verifying a GetItem's SigV4 signature (signed by the AWS
 * SDK's signer; the day's signing key already derived, as for every request after the first), and
 * authorizing it for a caller whose policy has a LeadingKeys condition (parsing the body again and
 * evaluating the policy; the table is not in the catalog here, so no key schema is read).
 */
@State(Scope.Benchmark)
public class AuthBenchmark extends Microbenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"TableName\":\"usertable\",\"Key\":{\"ycsb_key\":{\"S\":\"user1234\"}}}";

    private SignatureVerifier verifier;
    private SignedRequest request;
    private Authorizer authorizer;
    private Caller restricted;

    @Setup
    public void setUp() throws Exception {
        Credential key = new Credential("AKIDBENCH", "bench-secret", null, null, "arn:aws:iam::000000000000:user/bench", null);
        verifier = new SignatureVerifier(new Credentials() {
            @Override
            public Credential find(String accessKeyId) {
                return accessKeyId.equals(key.accessKeyId()) ? key : null;
            }

            @Override
            public int size() {
                return 1;
            }
        }, "us-east-1", Clock.systemUTC());
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(AwsCredentialsIdentity.create(
                        "AKIDBENCH", "bench-secret"))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create("http://127.0.0.1:8000/"))
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("X-Amz-Target", "DynamoDB_20120810.GetItem").build())
                .payload(ContentStreamProvider.fromUtf8String(BODY))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").build()).request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
        headers.put("host", List.of("127.0.0.1:8000"));
        request = new SignedRequest("POST", "/", "", headers, BODY.getBytes(StandardCharsets.UTF_8), false);
        verifier.verify(request);

        authorizer = new Authorizer("us-east-1", "000000000000", name -> null);
        JsonNode policy = JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                + "[\"dynamodb:GetItem\",\"dynamodb:Query\"],\"Resource\":\"arn:aws:dynamodb:*:*:table/user*\","
                + "\"Condition\":{\"ForAllValues:StringEquals\":{\"dynamodb:LeadingKeys\":[\"${aws:username}\"]}}}}");
        restricted = new Caller("AKIDBENCH", "arn:aws:iam::000000000000:user/bench", Policy.parse(policy));
    }

    @Benchmark
    public Caller verifySignature() {
        return verifier.verify(request);
    }

    @Benchmark
    public Caller authorizeRestrictedCaller() throws Exception {
        authorizer.authorize(restricted, "GetItem", dev.eddy.core.auth.access.ItemAccess::getItem, JSON.readTree(request.body()), false);
        return restricted;
    }
}
