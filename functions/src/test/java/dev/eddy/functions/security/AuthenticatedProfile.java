package dev.eddy.functions.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The application with authentication on and a credentials file of the keys the security tests
 * use: a full-access admin, a temporary credential and an expired one, and users whose policies
 * exercise IAM's rules. One profile for every authenticated test class, so Quarkus starts once.
 */
public class AuthenticatedProfile implements QuarkusTestProfile {
    public static final String ADMIN = "AKIDADMIN";
    public static final String ADMIN_SECRET = "admin/secret+KEY";
    public static final String TEMP = "ASIATEMP";
    public static final String TEMP_SECRET = "temp-secret";
    public static final String TEMP_TOKEN = "temp-session-token";
    public static final String EXPIRED = "ASIAEXPIRED";
    public static final String EXPIRED_SECRET = "expired-secret";
    public static final String EXPIRED_TOKEN = "expired-session-token";
    public static final String READER = "AKIDREADER";
    public static final String ALICE = "AKIDALICE";
    public static final String BOB = "AKIDBOB";
    public static final String PARTIQL = "AKIDPARTIQL";
    public static final String STREAMS = "AKIDSTREAMS";
    public static final String MAPPINGS_READER = "AKIDMAPPINGS";
    /** Every restricted user's secret is its key id with this suffix. */
    public static final String SECRET_SUFFIX = "-secret";

    private static Path file;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("eddy.auth.enabled", "true", "eddy.auth.credentials-file", credentialsFile().toString());
    }

    /** Written once per JVM (see {@link TlsProfile#keyStore()} for why the path is a system property). */
    static synchronized Path credentialsFile() {
        String made = System.getProperty("eddytest.credentials-file");
        if (made != null) {
            return Path.of(made);
        }
        if (file == null) {
            try {
                file = Files.createTempFile("eddy-credentials", ".json");
                Files.writeString(file, credentials());
                System.setProperty("eddytest.credentials-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    private static String restricted(String key, String user, String policy) {
        return "{\"accessKeyId\":\"" + key + "\",\"secretAccessKey\":\"" + key + SECRET_SUFFIX + "\",\"user\":\"" + user
                + "\",\"policy\":" + policy + "}";
    }

    static String credentials() {
        String tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        return "{\"credentials\":[\n"
                + "{\"accessKeyId\":\"" + ADMIN + "\",\"secretAccessKey\":\"" + ADMIN_SECRET + "\",\"user\":\"admin\"},\n"
                + "{\"accessKeyId\":\"" + TEMP + "\",\"secretAccessKey\":\"" + TEMP_SECRET + "\",\"sessionToken\":\""
                + TEMP_TOKEN + "\",\"expiration\":\"" + tomorrow + "\"},\n"
                + "{\"accessKeyId\":\"" + EXPIRED + "\",\"secretAccessKey\":\"" + EXPIRED_SECRET + "\",\"sessionToken\":\""
                + EXPIRED_TOKEN + "\",\"expiration\":\"2020-01-01T00:00:00Z\"},\n"
                // Reads on Shared* tables and their indexes; an explicit deny on deleting any table.
                + restricted(READER, "reader", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:Get*\",\"dynamodb:Query\",\"dynamodb:BatchGetItem\","
                + "\"dynamodb:DescribeTable\"],\"Resource\":[\"arn:aws:dynamodb:*:*:table/Shared-*\","
                + "\"arn:aws:dynamodb:*:*:table/Shared-*/index/*\"]},"
                + "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:DeleteTable\",\"Resource\":\"*\"}]}") + ",\n"
                // Her own partition only (LeadingKeys is her user name), on Owned* tables, transactions too.
                + restricted(ALICE, "alice", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\",\"dynamodb:UpdateItem\",\"dynamodb:DeleteItem\","
                + "\"dynamodb:Query\",\"dynamodb:BatchGetItem\",\"dynamodb:BatchWriteItem\",\"dynamodb:ConditionCheckItem\"],"
                + "\"Resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/Owned-*\",\"Condition\":{"
                + "\"ForAllValues:StringEquals\":{\"dynamodb:LeadingKeys\":[\"${aws:username}\"]}}}}") + ",\n"
                // The key and one more attribute of Owned* tables, reads naming them and updates returning no more.
                + restricted(BOB, "bob", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"dynamodb:GetItem\",\"dynamodb:Query\",\"dynamodb:UpdateItem\",\"dynamodb:Scan\"],"
                + "\"Resource\":\"arn:aws:dynamodb:*:*:table/Owned-*\",\"Condition\":{"
                + "\"ForAllValues:StringEquals\":{\"dynamodb:Attributes\":[\"pk\",\"sk\",\"public\"]},"
                + "\"StringEqualsIfExists\":{\"dynamodb:Select\":\"SPECIFIC_ATTRIBUTES\","
                + "\"dynamodb:ReturnValues\":[\"NONE\",\"UPDATED_OLD\",\"UPDATED_NEW\"]}}}]}") + ",\n"
                // PartiQL reads of Owned* tables, but no full-table scans.
                + restricted(PARTIQL, "analyst", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"dynamodb:PartiQLSelect\",\"Resource\":\"arn:aws:dynamodb:*:*:table/Owned-*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"dynamodb:PartiQLSelect\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"dynamodb:FullTableScan\":\"true\"}}}]}") + ",\n"
                // The Streams API on streams of Owned* tables; nothing else (NotAction: everything but reads of streams is denied).
                + restricted(STREAMS, "consumer", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"dynamodb:ListStreams\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:DescribeStream\",\"dynamodb:GetShardIterator\","
                + "\"dynamodb:GetRecords\"],\"Resource\":\"arn:aws:dynamodb:*:*:table/Owned-*/stream/*\"},"
                + "{\"Effect\":\"Deny\",\"NotAction\":[\"dynamodb:*Stream*\",\"dynamodb:GetRecords\"],\"NotResource\":"
                + "\"arn:aws:dynamodb:*:*:table/Owned-*/stream/*\"}]}") + ",\n"
                // The Lambda API's event source mappings: may list and read them, nothing else.
                + restricted(MAPPINGS_READER, "mappings-reader", "{\"Version\":\"2012-10-17\",\"Statement\":{"
                + "\"Effect\":\"Allow\",\"Action\":[\"lambda:ListEventSourceMappings\",\"lambda:GetEventSourceMapping\"],"
                + "\"Resource\":\"*\"}}") + "\n"
                + "]}";
    }
}
