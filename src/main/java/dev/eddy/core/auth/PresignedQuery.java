package dev.eddy.core.auth;

import dev.eddy.core.error.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a presigned request's signature from its query string: {@code X-Amz-Algorithm},
 * {@code X-Amz-Credential}, {@code X-Amz-Date}, {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}
 * and, when given, {@code X-Amz-Expires} and {@code X-Amz-Security-Token}.
 */
public final class PresignedQuery {
    public static final String ALGORITHM = "X-Amz-Algorithm";
    public static final String SIGNATURE = "X-Amz-Signature";

    private PresignedQuery() {
    }

    public static boolean isPresigned(QueryString query) {
        return query.has(ALGORITHM);
    }

    public static SignatureParts parse(QueryString query) {
        List<String> missing = new ArrayList<>();
        String algorithm = query.get(ALGORITHM);
        if (algorithm == null || algorithm.isEmpty()) {
            missing.add(ALGORITHM);
        }
        for (String name : List.of("X-Amz-Credential", SIGNATURE, "X-Amz-SignedHeaders", "X-Amz-Date")) {
            if (!query.has(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw Errors.incompleteQuerySignature(missing);
        }
        if (!SignatureParts.ALGORITHM.equals(algorithm)) {
            throw Errors.unsupportedAlgorithm(algorithm);
        }
        Long expires = null;
        String expiresText = query.get("X-Amz-Expires");
        if (expiresText != null) {
            try {
                expires = Long.parseLong(expiresText);
            } catch (NumberFormatException e) {
                expires = -1L;
            }
        }
        return new SignatureParts(algorithm, query.get("X-Amz-Credential"),
                List.of(query.get("X-Amz-SignedHeaders").split(";", -1)), query.get(SIGNATURE), query.get("X-Amz-Date"),
                expires, query.get("X-Amz-Security-Token"), true);
    }
}
