package dev.eddy.functions;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BackupDetails;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** What the backup tests wait for and read back: a backup AVAILABLE, a restored table ACTIVE, a table's items. */
final class BackupProbes {
    private BackupProbes() {
    }

    static BackupDetails awaitAvailable(DynamoDbClient c, String arn) throws InterruptedException {
        return await("backup " + arn + " AVAILABLE", () -> {
            BackupDetails d = c.describeBackup(r -> r.backupArn(arn)).backupDescription().backupDetails();
            return d.backupStatus() == BackupStatus.AVAILABLE ? d : null;
        });
    }

    static TableDescription awaitRestored(DynamoDbClient c, String table) throws InterruptedException {
        return await("table " + table + " restored", () -> {
            TableDescription d = c.describeTable(r -> r.tableName(table)).table();
            return d.tableStatus() == TableStatus.ACTIVE ? d : null;
        });
    }

    /** Every item of a table, by "pk/sk", from strongly consistent Scans. */
    static Map<String, Map<String, AttributeValue>> contents(DynamoDbClient c, String table) {
        Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = c.scan(r -> r.tableName(table).consistentRead(true).exclusiveStartKey(from));
            page.items().forEach(i -> out.put(i.get("pk").s() + "/" + (i.containsKey("sk") ? i.get("sk").n() : ""), i));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            T found = probe.get();
            if (found != null) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what);
    }
}
