package dev.eddy.core.auth;

import java.util.List;

/**
 * What a signed request carries about its signature, from the Authorization header or from the
 * query string (a presigned request).
 *
 * @param signedHeaders lower-case header names, as listed (SigV4 lists them sorted)
 * @param amzDate       X-Amz-Date when the query string carries it, else null (then the headers say)
 * @param expiresSeconds a presigned request's X-Amz-Expires, or null
 * @param sessionToken  X-Amz-Security-Token, or null
 * @param fromQuery     a presigned request: X-Amz-Signature is left out of its canonical query string
 */
public record SignatureParts(String algorithm, String credential, List<String> signedHeaders, String signature,
                             String amzDate, Long expiresSeconds, String sessionToken, boolean fromQuery) {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
}
