package dev.eddy.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4's signing key, HMAC-SHA256 chained over the scope ({@code "AWS4" + secret}, date, region,
 * service, "aws4_request"), and the signature it makes of a string to sign. A key serves a whole
 * day, so derived keys are kept: four HMACs saved on every request after the first of the day.
 */
public final class SigningKey {
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final int MAX_KEPT = 1024;
    private static final ConcurrentHashMap<String, byte[]> KEPT = new ConcurrentHashMap<>();

    private SigningKey() {
    }

    public static byte[] derive(String secretAccessKey, CredentialScope scope) {
        String id = secretAccessKey + '\n' + scope.scope();
        byte[] key = KEPT.get(id);
        if (key == null) {
            key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scope.date());
            key = hmac(key, scope.region());
            key = hmac(key, scope.service());
            key = hmac(key, scope.terminator());
            if (KEPT.size() >= MAX_KEPT) {
                KEPT.clear();
            }
            KEPT.put(id, key);
        }
        return key;
    }

    /** The hex signature of the string to sign. */
    public static String sign(byte[] key, String stringToSign) {
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    static byte[] hmac(byte[] key, String data) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
