package dev.eddy.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.error.Errors;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Text a request may carry: well-formed UTF-8, and no lone UTF-16 surrogate written as an escape
 * ({@code "\ud800"}). Jackson takes both overlong UTF-8 forms (C0 AF for '/') and escaped lone
 * surrogates without complaint, so a key that no client could have meant would be stored; DynamoDB
 * answers such a body with a SerializationException that has no message, and so does Eddy.
 */
public final class WellFormedText {
    private WellFormedText() {
    }

    /** The raw body: strict UTF-8 (no overlong forms, no encoded surrogates), then its escaped surrogates. */
    public static void checkBody(byte[] body) {
        boolean ascii = true;
        for (byte b : body) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            } catch (CharacterCodingException e) {
                throw Errors.unparseable();
            }
        }
    }

    /** Whether the body escapes a surrogate ({@code \}{@code uD...}), the only way a parsed string can hold a lone one. */
    public static boolean mayEscapeSurrogate(byte[] body) {
        for (int i = 0; i + 2 < body.length; i++) {
            if (body[i] == '\\' && body[i + 1] == 'u' && (body[i + 2] == 'd' || body[i + 2] == 'D')) {
                return true;
            }
        }
        return false;
    }

    /** Every member name and string in the tree: a lone surrogate in any is refused. */
    public static void checkStrings(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            check(node.textValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                check(e.getKey());
                checkStrings(e.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                checkStrings(element);
            }
        }
    }

    private static void check(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw Errors.unparseable();
                }
            } else if (Character.isLowSurrogate(c)) {
                throw Errors.unparseable();
            }
        }
    }
}
