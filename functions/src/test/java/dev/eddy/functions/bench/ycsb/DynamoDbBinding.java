package dev.eddy.functions.bench.ycsb;

import dev.eddy.functions.DynamoTestBase;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicInteger;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * YCSB's database interface over the AWS SDK for Java v2, written the way a DynamoDB user would:
 * one item per record, keyed by the string attribute {@value #KEY}, one string attribute per
 * field. read is GetItem, update is UpdateItem with a SET expression, insert is PutItem, delete is
 * DeleteItem.
 *
 * <p>scan (workload E) is a Scan from {@code ExclusiveStartKey = startkey} with {@code Limit =
 * recordcount}: the next records after the start key in the table's own order. A table keyed by
 * hash has no key order to Query in, and YCSB's bindings for other hash-partitioned stores scan in
 * their token order the same way; a sort key would only change the data model the other
 * workloads read.
 *
 * <p>Run by YCSB's own client it reads {@value #ENDPOINT} and {@value #CONSISTENT_READS} and opens
 * its own client; the benchmark runner instead shares one SDK client between its threads, as an
 * application would.
 */
public final class DynamoDbBinding extends DB {
    public static final String ENDPOINT = "dynamodb.endpoint";
    public static final String CONSISTENT_READS = "dynamodb.consistentReads";
    /** The partition key attribute of a YCSB table. */
    public static final String KEY = "ycsb_key";

    private static final AtomicInteger REPORTED_FAILURES = new AtomicInteger();

    private DynamoDbClient client;
    private boolean ownsClient;
    private boolean consistentReads;

    /** For YCSB's client: configured by properties in {@link #init()}. */
    public DynamoDbBinding() {
    }

    DynamoDbBinding(DynamoDbClient shared, boolean consistentReads) {
        this.client = shared;
        this.consistentReads = consistentReads;
    }

    @Override
    public void init() throws DBException {
        if (client != null) {
            return;
        }
        String endpoint = getProperties().getProperty(ENDPOINT);
        if (endpoint == null) {
            throw new DBException(ENDPOINT + " is not set");
        }
        consistentReads = Boolean.parseBoolean(getProperties().getProperty(CONSISTENT_READS, "false"));
        client = DynamoTestBase.client(URI.create(endpoint));
        ownsClient = true;
    }

    @Override
    public void cleanup() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            GetItemResponse response = client.getItem(r -> {
                r.tableName(table).key(key(key)).consistentRead(consistentReads);
                if (fields != null) {
                    r.projectionExpression(projection(fields)).expressionAttributeNames(names(fields));
                }
            });
            if (!response.hasItem()) {
                return Status.NOT_FOUND;
            }
            copyFields(response.item(), result);
            return Status.OK;
        } catch (SdkException e) {
            return failed(e);
        }
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        try {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).exclusiveStartKey(key(startkey))
                    .limit(recordcount).consistentRead(consistentReads);
            if (fields != null) {
                request.projectionExpression(projection(fields)).expressionAttributeNames(names(fields));
            }
            for (Map<String, AttributeValue> item : client.scan(request.build()).items()) {
                HashMap<String, ByteIterator> record = new HashMap<>();
                copyFields(item, record);
                result.add(record);
            }
            return Status.OK;
        } catch (SdkException e) {
            return failed(e);
        }
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        StringBuilder set = new StringBuilder("SET ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> placeholders = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, ByteIterator> field : values.entrySet()) {
            set.append(i == 0 ? "" : ", ").append("#f").append(i).append(" = :v").append(i);
            names.put("#f" + i, field.getKey());
            placeholders.put(":v" + i, AttributeValue.fromS(field.getValue().toString()));
            i++;
        }
        try {
            client.updateItem(r -> r.tableName(table).key(key(key)).updateExpression(set.toString())
                    .expressionAttributeNames(names).expressionAttributeValues(placeholders));
            return Status.OK;
        } catch (SdkException e) {
            return failed(e);
        }
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        values.forEach((field, value) -> item.put(field, AttributeValue.fromS(value.toString())));
        try {
            client.putItem(r -> r.tableName(table).item(item));
            return Status.OK;
        } catch (SdkException e) {
            return failed(e);
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            client.deleteItem(r -> r.tableName(table).key(key(key)));
            return Status.OK;
        } catch (SdkException e) {
            return failed(e);
        }
    }

    /** YCSB counts the failure; the first few are printed so that a run with errors says why. */
    private static Status failed(SdkException e) {
        if (REPORTED_FAILURES.getAndIncrement() < 5) {
            System.err.println("DynamoDB call failed: " + e);
        }
        return Status.ERROR;
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(KEY, AttributeValue.fromS(key));
    }

    /** Field names go through #placeholders: YCSB's "field0" is no reserved word, but a user's may be. */
    private static String projection(Set<String> fields) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            p.append(i == 0 ? "#p" : ", #p").append(i);
        }
        return p.toString();
    }

    private static Map<String, String> names(Set<String> fields) {
        Map<String, String> names = new HashMap<>();
        int i = 0;
        for (String field : fields) {
            names.put("#p" + i++, field);
        }
        return names;
    }

    private static void copyFields(Map<String, AttributeValue> item, Map<String, ByteIterator> record) {
        item.forEach((name, value) -> {
            if (!KEY.equals(name)) {
                record.put(name, new StringByteIterator(value.s()));
            }
        });
    }
}
