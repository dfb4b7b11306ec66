package dev.eddy.core.auth;

import dev.eddy.core.auth.policy.Policy;
import java.time.Instant;

/**
 * One access key Eddy accepts signatures from.
 *
 * @param sessionToken a temporary credential's token, which requests must send as
 *                     X-Amz-Security-Token; null for a long-term key, which must send none
 * @param expiration   when a temporary credential stops working, or null
 * @param principalArn who the key belongs to, as AccessDeniedException names it
 * @param policy       what the key may do; null for full access
 */
public record Credential(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                         String principalArn, Policy policy) {
    @Override
    public String toString() {
        return "Credential[" + accessKeyId + ", " + principalArn + "]"; // never the secret
    }
}
