package dev.eddy.core.auth;

import dev.eddy.core.error.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Verifies AWS Signature Version 4 on a request (header or presigned form) and names its caller.
 * The checks run in the order AWS's own errors show them: the signature's parts, the request's
 * time against the 15-minute window, the credential scope, then the access key, and only then the
 * signature itself, compared in constant time.
 */
public final class SignatureVerifier {
    /** DynamoDB and DynamoDB Streams both sign as "dynamodb". */
    public static final String SERVICE = "dynamodb";
    /** How far a request's time may be from the server's, either way (AWS's window for DynamoDB). */
    public static final Duration SKEW = Duration.ofMinutes(15);
    private static final String SKEW_TEXT = "15 min";
    /** SigV4's longest presigned lifetime, seven days. */
    private static final long MAX_EXPIRES_SECONDS = 604800;

    private final Credentials credentials;
    private final String region;
    private final Clock clock;

    public SignatureVerifier(Credentials credentials, String region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    public Caller verify(SignedRequest request) {
        return verify(request, SERVICE);
    }

    /**
     * As {@link #verify(SignedRequest)}, for a request signed for another service Eddy serves (the
     * Lambda API's event source mappings sign as "lambda").
     */
    public Caller verify(SignedRequest request, String service) {
        QueryString query = QueryString.parse(request.query());
        String authorization = request.header("authorization");
        boolean presigned = PresignedQuery.isPresigned(query);
        if (authorization != null && presigned) {
            throw Errors.headerAndQuerySignature();
        }
        if (authorization == null && !presigned) {
            throw Errors.missingAuthenticationToken();
        }
        String amzDate = request.header("x-amz-date");
        String httpDate = request.header("date");
        SignatureParts parts = presigned ? PresignedQuery.parse(query)
                : AuthorizationHeader.parse(authorization, amzDate != null || httpDate != null,
                request.header("x-amz-security-token"));
        String signedDate = presigned ? parts.amzDate() : amzDate;
        Instant time = RequestTime.parse(signedDate, httpDate);
        checkTime(time, parts.expiresSeconds());

        CredentialScope scope = CredentialScope.parse(parts.credential());
        scope.check(region, service, time);
        if (!parts.signedHeaders().contains("host")) {
            throw Errors.hostNotSigned();
        }
        Credential credential = credentials.find(scope.accessKeyId());
        if (credential == null || !sameToken(credential.sessionToken(), parts.sessionToken())) {
            throw Errors.unrecognizedClient();
        }
        if (credential.expiration() != null && !clock.instant().isBefore(credential.expiration())) {
            throw Errors.expiredToken();
        }

        String canonical = CanonicalRequest.of(request, parts, query, payloadHash(request, query));
        String stringToSign = SignatureParts.ALGORITHM + '\n' + (signedDate != null ? signedDate : RequestTime.basic(time))
                + '\n' + scope.scope() + '\n' + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        String expected = SigningKey.sign(SigningKey.derive(credential.secretAccessKey(), scope), stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts.signature().getBytes(StandardCharsets.UTF_8))) {
            throw Errors.signatureMismatch();
        }
        return Caller.of(credential);
    }

    private void checkTime(Instant time, Long expiresSeconds) {
        Instant now = clock.instant();
        Instant earliest = now.minus(SKEW);
        Instant latest = now.plus(SKEW);
        if (time.isBefore(earliest)) {
            throw Errors.signatureExpired(RequestTime.basic(time), RequestTime.basic(earliest), RequestTime.basic(now),
                    SKEW_TEXT);
        }
        if (time.isAfter(latest)) {
            throw Errors.signatureNotYetCurrent(RequestTime.basic(time), RequestTime.basic(latest),
                    RequestTime.basic(now), SKEW_TEXT);
        }
        if (expiresSeconds != null) {
            // DynamoDB, like other non-S3 services, keeps the 15-minute window for presigned requests;
            // a shorter X-Amz-Expires is honoured too, in the same words (Eddy's: AWS's text for it is not known).
            long seconds = Math.max(0, Math.min(expiresSeconds, MAX_EXPIRES_SECONDS));
            Instant until = time.plusSeconds(seconds);
            if (until.isBefore(now)) {
                throw Errors.signatureExpired(RequestTime.basic(time), RequestTime.basic(now.minusSeconds(seconds)),
                        RequestTime.basic(now), seconds + " sec");
            }
        }
    }

    /** A temporary credential must come with its token, a long-term key with none. */
    private static boolean sameToken(String expected, String sent) {
        if (expected == null) {
            return sent == null;
        }
        return sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The body's SHA-256, or UNSIGNED-PAYLOAD when the client says so over TLS: AWS accepts an unsigned
     * payload only where TLS already protects the body, and so does Eddy. A stated hash that does not
     * match the body just makes the signature fail to match.
     */
    private static String payloadHash(SignedRequest request, QueryString query) {
        String stated = request.header("x-amz-content-sha256");
        if (stated == null) {
            stated = query.get("X-Amz-Content-Sha256");
        }
        if (CanonicalRequest.UNSIGNED_PAYLOAD.equals(stated) && request.secure()) {
            return CanonicalRequest.UNSIGNED_PAYLOAD;
        }
        return hex(sha256(request.body()));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
