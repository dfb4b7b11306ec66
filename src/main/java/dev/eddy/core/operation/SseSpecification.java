package dev.eddy.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.core.api.Request;
import dev.eddy.core.encryption.MasterKeys;
import dev.eddy.core.error.Errors;
import java.util.List;

/**
 * CreateTable's and UpdateTable's SSESpecification (and RestoreTableFromBackup's
 * SSESpecificationOverride), read and checked as DynamoDB does (API Reference,
 * "SSESpecification"): {@code Enabled} true, or {@code SSEType} KMS, asks for a KMS key (the one
 * {@code KMSMasterKeyId} names, else DynamoDB's own, {@code alias/aws/dynamodb}); false or no
 * specification is the default key, which DescribeTable does not describe. Eddy's KMS keys are its
 * master keys ({@code eddy.encryption.master-key-file}): the first one, by id, key ARN
 * ({@code arn:aws:kms:<region>:<account>:key/<id>}) or that alias. Every table is encrypted under it
 * either way; the specification only decides what DescribeTable reports.
 */
final class SseSpecification {
    static final List<String> TYPES = List.of("AES256", "KMS");
    private static final String DEFAULT_ALIAS = "alias/aws/dynamodb";

    private final Boolean enabled;
    private final String type;
    private final String keyId;

    private SseSpecification(Boolean enabled, String type, String keyId) {
        this.enabled = enabled;
        this.type = type;
        this.keyId = keyId;
    }

    /** Reads the member (null when absent); type violations join the request's others. */
    static SseSpecification read(Request r, JsonNode node) {
        return read(r, node, "sSESpecification");
    }

    /** As {@link #read(Request, JsonNode)} for a member of another name (RestoreTableFromBackup's override). */
    static SseSpecification read(Request r, JsonNode node, String member) {
        if (node == null) {
            return null;
        }
        String type = Request.string(node, "SSEType");
        r.oneOf(member + ".sSEType", type, TYPES);
        return new SseSpecification(Request.bool(node, "Enabled"), type, Request.string(node, "KMSMasterKeyId"));
    }

    /**
     * The ARN of the master key the table reports (null for the default key), once the
     * specification's own rules and the key it names are checked.
     */
    static String keyArn(SseSpecification spec, MasterKeys masters, String region, String accountId) {
        if (spec == null) {
            return null;
        }
        if (Boolean.FALSE.equals(spec.enabled)) {
            if (spec.type != null) {
                throw Errors.invalidParameter("SSEType can not be specified if Enabled is false");
            }
            if (spec.keyId != null) {
                throw Errors.invalidParameter("KMSMasterKeyId can not be specified if Enabled is false");
            }
            return null;
        }
        if ("AES256".equals(spec.type)) {
            throw Errors.invalidParameter("SSEType AES256 is not supported");
        }
        if (spec.keyId != null && spec.type == null) {
            throw Errors.invalidParameter("SSEType KMS is required if KMSMasterKeyId is specified");
        }
        if (!Boolean.TRUE.equals(spec.enabled) && spec.type == null) {
            return null; // {}: the default key
        }
        String prefix = "arn:aws:kms:" + region + ":" + accountId + ":";
        String id = spec.keyId == null ? DEFAULT_ALIAS : spec.keyId;
        boolean alias = id.startsWith("alias/") || id.startsWith("arn:aws:kms:") && id.contains(":alias/");
        if (alias) {
            String aliasArn = id.startsWith("arn:") ? id : prefix + id;
            if (masters.isEmpty() || !aliasArn.equals(prefix + DEFAULT_ALIAS)) {
                throw Errors.kmsAliasNotFound(aliasArn);
            }
            return prefix + "key/" + masters.primary().id();
        }
        String keyArn = id.startsWith("arn:") ? id : prefix + "key/" + id;
        String named = keyArn.startsWith(prefix + "key/") ? keyArn.substring((prefix + "key/").length()) : null;
        if (named == null || masters.find(named) == null) {
            throw Errors.kmsKeyNotFound(keyArn);
        }
        if (!named.equals(masters.primary().id())) {
            throw Errors.kmsKeyPendingDeletion(keyArn); // kept in the file only to unwrap what it wrapped
        }
        return keyArn;
    }
}
