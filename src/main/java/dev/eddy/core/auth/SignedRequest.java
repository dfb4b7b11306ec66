package dev.eddy.core.auth;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as SigV4 sees it, whatever transport brought it: the verifier needs nothing else.
 *
 * @param method  GET, POST, ...
 * @param path    the path as sent, still percent-encoded
 * @param query   the query string as sent, without '?'; empty when there is none
 * @param headers every header by lower-case name, each value as sent (a header sent twice has two)
 * @param body    the request body, empty when there is none
 * @param secure  whether it came over TLS (an unsigned payload is only accepted then)
 */
public record SignedRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                            boolean secure) {
    public SignedRequest {
        query = query == null ? "" : query;
        body = body == null ? new byte[0] : body;
    }

    /** The header's first value, or null. */
    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
