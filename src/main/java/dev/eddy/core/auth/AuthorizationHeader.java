package dev.eddy.core.auth;

import dev.eddy.core.error.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
 * The algorithm is the first word; the parts after it may be separated by commas, spaces or both
 * (AWS accepts "Credential=a,SignedHeaders=b,Signature=c" too). The checks come in AWS's order: a
 * part with no '=', then the parts and date header that are missing, then the algorithm.
 */
public final class AuthorizationHeader {
    private AuthorizationHeader() {
    }

    /**
     * @param hasDate whether the request has an X-Amz-Date or Date header, which a header-signed
     *                request needs
     */
    public static SignatureParts parse(String header, boolean hasDate, String sessionToken) {
        String trimmed = header.strip();
        int space = indexOfWhitespace(trimmed);
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        String rest = space < 0 ? "" : trimmed.substring(space + 1);
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : rest.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw Errors.authorizationPairWithoutEquals(sha256Base64(header));
            }
            String name = part.substring(0, eq);
            String value = part.substring(eq + 1);
            switch (name) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> {
                    // AWS ignores parts it does not know.
                }
            }
        }
        List<String> missing = new ArrayList<>();
        if (credential == null) {
            missing.add("Credential");
        }
        if (signature == null) {
            missing.add("Signature");
        }
        if (signedHeaders == null) {
            missing.add("SignedHeaders");
        }
        if (!hasDate) {
            missing.add("date");
        }
        if (!missing.isEmpty()) {
            throw Errors.incompleteAuthorization(missing, header);
        }
        if (!SignatureParts.ALGORITHM.equals(algorithm)) {
            throw Errors.unsupportedAlgorithm(algorithm);
        }
        return new SignatureParts(algorithm, credential, List.of(signedHeaders.split(";", -1)), signature, null, null,
                sessionToken, false);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static String sha256Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
