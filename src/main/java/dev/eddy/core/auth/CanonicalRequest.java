package dev.eddy.core.auth;

import dev.eddy.core.error.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * SigV4's canonical form of a request (IAM User Guide, "Create a canonical request"): method, path,
 * query string, the signed headers and the payload's hash, each normalised so that the client and
 * the server compute the same bytes from the same request.
 */
public final class CanonicalRequest {
    /** The payload hash a client may send instead of one over the body, over TLS. */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private CanonicalRequest() {
    }

    public static String of(SignedRequest request, SignatureParts parts, QueryString query, String payloadHash) {
        StringBuilder s = new StringBuilder(256);
        s.append(request.method()).append('\n');
        s.append(path(request.path())).append('\n');
        s.append(query(query, parts.fromQuery())).append('\n');
        List<String> names = new ArrayList<>(parts.signedHeaders());
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            List<String> values = request.headers().get(name);
            if (values == null || values.isEmpty()) {
                throw Errors.signedHeaderMissing(name);
            }
            s.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                s.append(i == 0 ? "" : ",").append(trimAll(values.get(i)));
            }
            s.append('\n');
        }
        s.append('\n').append(String.join(";", parts.signedHeaders())).append('\n');
        return s.append(payloadHash).toString();
    }

    /**
     * The path normalised (no "." or ".." segments, no empty ones) and each segment encoded once
     * more: every AWS service but S3 signs the already-encoded path encoded again.
     */
    static String path(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder s = new StringBuilder();
        for (String segment : segments) {
            s.append('/').append(encode(segment));
        }
        if (rawPath.endsWith("/") && rawPath.length() > 1) {
            s.append('/');
        }
        return s.toString();
    }

    /** Parameters sorted by encoded name, then value; a presigned request's own signature left out. */
    static String query(QueryString query, boolean presigned) {
        List<String[]> encoded = new ArrayList<>();
        for (QueryString.Parameter p : query.parameters()) {
            if (presigned && p.name().equals(PresignedQuery.SIGNATURE)) {
                continue;
            }
            encoded.add(new String[] {encode(p.name()), encode(p.value())});
        }
        encoded.sort(Comparator.<String[], String>comparing(e -> e[0]).thenComparing(e -> e[1]));
        StringBuilder s = new StringBuilder();
        for (String[] e : encoded) {
            s.append(s.length() == 0 ? "" : "&").append(e[0]).append('=').append(e[1]);
        }
        return s.toString();
    }

    /** SigV4's URI encoding: unreserved characters stay, every other byte is %XX in upper case. */
    static String encode(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                s.append(c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return s.toString();
    }

    /** A header value trimmed, with each run of spaces inside made one space. */
    static String trimAll(String value) {
        String t = value.strip();
        StringBuilder s = new StringBuilder(t.length());
        boolean space = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ' || c == '\t') {
                if (!space) {
                    s.append(' ');
                }
                space = true;
            } else {
                s.append(c);
                space = false;
            }
        }
        return s.toString();
    }
}
