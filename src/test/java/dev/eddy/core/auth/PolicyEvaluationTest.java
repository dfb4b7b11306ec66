package dev.eddy.core.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.auth.policy.AccessRequest;
import dev.eddy.core.auth.policy.Decision;
import dev.eddy.core.auth.policy.Policy;
import dev.eddy.core.auth.policy.PolicyVariables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** IAM's evaluation rules that the end-to-end tests do not reach one by one: set qualifiers on missing keys, negated operators, Null, IfExists. */
class PolicyEvaluationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "arn:aws:dynamodb:us-east-1:1:table/T";

    private static Decision decide(String condition, Map<String, List<String>> context) throws Exception {
        Policy p = Policy.parse(JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"dynamodb:*\",\"Resource\":\"*\",\"Condition\":" + condition + "}}"));
        return p.evaluate(new AccessRequest("dynamodb:GetItem", TABLE, context),
                PolicyVariables.forCaller("arn:aws:iam::1:user/alice", "AKID"));
    }

    @Test
    void setQualifiersAndMissingKeysFollowIam() throws Exception {
        String forAll = "{\"ForAllValues:StringEquals\":{\"dynamodb:LeadingKeys\":[\"${aws:username}\"]}}";
        assertEquals(Decision.ALLOW, decide(forAll, Map.of("dynamodb:LeadingKeys", List.of("alice"))));
        assertEquals(Decision.IMPLICIT_DENY, decide(forAll, Map.of("dynamodb:LeadingKeys", List.of("alice", "bob"))));
        assertEquals(Decision.ALLOW, decide(forAll, Map.of())); // no key: ForAllValues holds (why Scan must not be allowed)
        String forAny = "{\"ForAnyValue:StringLike\":{\"dynamodb:Attributes\":[\"sec*\"]}}";
        assertEquals(Decision.ALLOW, decide(forAny, Map.of("dynamodb:Attributes", List.of("pk", "secret"))));
        assertEquals(Decision.IMPLICIT_DENY, decide(forAny, Map.of()));
        // Condition keys are case-insensitive, values are not.
        assertEquals(Decision.ALLOW, decide(forAny, Map.of("DynamoDB:attributes", List.of("secret"))));
        assertEquals(Decision.IMPLICIT_DENY, decide(forAny, Map.of("dynamodb:Attributes", List.of("Secret"))));
    }

    @Test
    void negatedOperatorsNullAndIfExists() throws Exception {
        String notEquals = "{\"StringNotEquals\":{\"dynamodb:ReturnValues\":[\"ALL_OLD\",\"ALL_NEW\"]}}";
        assertEquals(Decision.ALLOW, decide(notEquals, Map.of("dynamodb:ReturnValues", List.of("NONE"))));
        assertEquals(Decision.IMPLICIT_DENY, decide(notEquals, Map.of("dynamodb:ReturnValues", List.of("ALL_NEW"))));
        assertEquals(Decision.ALLOW, decide(notEquals, Map.of())); // a negated operator holds on a missing key
        assertEquals(Decision.IMPLICIT_DENY, decide("{\"StringEquals\":{\"dynamodb:Select\":\"COUNT\"}}", Map.of()));
        assertEquals(Decision.ALLOW, decide("{\"StringEqualsIfExists\":{\"dynamodb:Select\":\"COUNT\"}}", Map.of()));
        assertEquals(Decision.ALLOW, decide("{\"Null\":{\"dynamodb:LeadingKeys\":\"true\"}}", Map.of()));
        assertEquals(Decision.IMPLICIT_DENY, decide("{\"Null\":{\"dynamodb:LeadingKeys\":\"true\"}}",
                Map.of("dynamodb:LeadingKeys", List.of("a"))));
        assertEquals(Decision.ALLOW, decide("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}",
                Map.of("aws:SecureTransport", List.of("TRUE"))));
        assertEquals(Decision.ALLOW, decide("{\"NumericLessThanEquals\":{\"k\":\"10\"}}", Map.of("k", List.of("9.5"))));
        assertEquals(Decision.IMPLICIT_DENY, decide("{\"NumericLessThan\":{\"k\":\"10\"}}", Map.of("k", List.of("x"))));
    }

    @Test
    void anExplicitDenyWinsAndResourcesMatchSegmentBySegment() throws Exception {
        Policy p = Policy.parse(JSON.readTree("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\","
                + "\"Resource\":\"arn:aws:dynamodb:*:*:table/T*\"},{\"Effect\":\"Deny\",\"Action\":\"dynamodb:Delete?tem\","
                + "\"Resource\":\"*\"}]}"));
        PolicyVariables none = PolicyVariables.NONE;
        assertEquals(Decision.ALLOW, p.evaluate(new AccessRequest("dynamodb:Query", TABLE + "/index/I", Map.of()), none));
        assertEquals(Decision.ALLOW, p.evaluate(new AccessRequest("DynamoDB:getitem", TABLE, Map.of()), none));
        assertEquals(Decision.EXPLICIT_DENY, p.evaluate(new AccessRequest("dynamodb:DeleteItem", TABLE, Map.of()), none));
        assertEquals(Decision.IMPLICIT_DENY, p.evaluate(new AccessRequest("dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:1:table/Other", Map.of()), none));
    }
}
