package dev.eddy.core.partiql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.PartiqlErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The NextToken of a SELECT that read a page: where the next page starts (the Query's or Scan's
 * LastEvaluatedKey) and a fingerprint of the statement and its parameters, so a token is only
 * taken back with the request it came from ("NextToken does not match request").
 */
public final class PageToken {
    private PageToken() {
    }

    public static String encode(String statement, Parameters parameters, JsonNode lastEvaluatedKey) {
        ObjectNode token = JsonValues.JSON.createObjectNode();
        token.put("f", fingerprint(statement, parameters));
        token.set("k", lastEvaluatedKey);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The start key the token holds. */
    public static JsonNode decode(String token, String statement, Parameters parameters) {
        JsonNode node;
        try {
            node = JsonValues.JSON.readTree(Base64.getUrlDecoder().decode(token));
        } catch (IllegalArgumentException | IOException e) {
            throw PartiqlErrors.invalidNextToken();
        }
        if (node == null || !node.path("f").isTextual() || !node.path("k").isObject()) {
            throw PartiqlErrors.invalidNextToken();
        }
        if (!node.get("f").textValue().equals(fingerprint(statement, parameters))) {
            throw PartiqlErrors.nextTokenMismatch();
        }
        return node.get("k");
    }

    private static String fingerprint(String statement, Parameters parameters) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(statement.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(parameters.fingerprintText().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
