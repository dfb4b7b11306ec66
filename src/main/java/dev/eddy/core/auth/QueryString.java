package dev.eddy.core.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A query string's parameters, decoded, in the order sent. */
public record QueryString(List<Parameter> parameters) {
    public record Parameter(String name, String value) {
    }

    public static QueryString parse(String raw) {
        List<Parameter> out = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                out.add(eq < 0 ? new Parameter(decode(pair), "")
                        : new Parameter(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1))));
            }
        }
        return new QueryString(List.copyOf(out));
    }

    /** The first value of the parameter, or null. */
    public String get(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    /**
     * Percent-decoding only: SigV4 clients encode a space as %20, and a '+' is a plus. A malformed
     * escape is kept as it is; the signature then does not match.
     */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int hi;
            int lo;
            if (bytes[i] == '%' && i + 2 < bytes.length && (hi = Character.digit(bytes[i + 1], 16)) >= 0
                    && (lo = Character.digit(bytes[i + 2], 16)) >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
