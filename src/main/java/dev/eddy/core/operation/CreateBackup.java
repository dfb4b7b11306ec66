package dev.eddy.core.operation;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eddy.core.api.BlockingOperation;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.Backup;
import dev.eddy.core.backup.BackupArns;
import dev.eddy.core.backup.BackupDescriptions;
import dev.eddy.core.error.Errors;
import dev.eddy.core.table.BackupPoint;
import dev.eddy.core.table.TableDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * CreateBackup (API Reference; Developer Guide, "Backing up a DynamoDB table"): records the backup
 * as CREATING and announces it in the table's definition with its point, a moment just after its
 * cache is created; the maintenance role copies the table as of that point ({@code backup.BackupCopy}),
 * writers keeping for it each page state they replace meanwhile ({@code backup.PageCapture}).
 * "A time marker of the request is cataloged, and the backup is created asynchronously": the
 * response says CREATING, DescribeBackup says AVAILABLE once the copy is complete.
 */
public final class CreateBackup implements BlockingOperation {
    private static final Logger LOG = Logger.getLogger(CreateBackup.class);
    /**
     * How far after its cache is created a backup's point lies: every process writing the table must
     * know of the backup before its clock passes the point (the catalog's near cache is invalidated
     * within milliseconds). DynamoDB guarantees a backup holds what was written a minute before the request
     * and nothing written a minute after.
     */
    static final long POINT_AHEAD_MICROS = 1_000_000;
    /**
     * How long before its point a backup must be announced at the latest, for the catalog's near
     * caches to have heard of it: a write past the point that did not keep its page's state for the
     * backup takes that state out of it for good (a whole partition, when it is one page).
     */
    static final long ANNOUNCED_AHEAD_MICROS = POINT_AHEAD_MICROS / 2;

    private final OperationContext context;

    public CreateBackup(OperationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "CreateBackup";
    }

    @Override
    public void execute(Request r, JsonGenerator out) throws IOException {
        String table = DescribeContinuousBackups.tableOf(context, r);
        String backupName = r.string("BackupName");
        r.name("backupName", backupName, true);
        r.check();
        String name = ResourceArns.tableName(context, table);
        TableDefinition t = context.catalog().findConsistent(name);
        if (t == null) {
            throw Errors.tableNotFoundForBackups(name);
        }
        checkUsable(t);
        long now = System.currentTimeMillis();
        String id = BackupArns.newId(now);
        String cacheName = Backup.cacheNameOf(id);
        context.encryption().tableCreated(cacheName); // the copy is sealed from its first value, as its table is
        context.createCache(cacheName);
        // The point is taken once the cache exists: creating one can take longer than the point's lead.
        long point = System.currentTimeMillis() * 1000 + POINT_AHEAD_MICROS;
        Backup backup = new Backup(id, BackupArns.arn(t.tableArn(), id), backupName, Backup.CREATING, now,
                point, cacheName, t, null, null, null, null);
        context.backups().create(backup);
        try {
            announce(context, t, backup);
        } catch (RuntimeException e) {
            context.backups().remove(id);
            context.removeCache(cacheName);
            throw e;
        }
        long lead = point - System.currentTimeMillis() * 1000;
        if (lead < ANNOUNCED_AHEAD_MICROS) {
            // Writers may pass the point before they hear of the backup: it would miss what they replace.
            LOG.warnf("Backup %s of %s was announced %d ms before its point, too late to hold: withdrawn", backupName,
                    t.tableName(), lead / 1000);
            withdraw(context, t, backup);
            throw Errors.backupAnnouncedLate(t.tableName());
        }
        out.writeFieldName("BackupDetails");
        BackupDescriptions.writeDetails(out, backup, Backup.CREATING);
    }

    private static void checkUsable(TableDefinition t) {
        if (TableDefinition.CREATING.equals(t.status()) || TableDefinition.DELETING.equals(t.status())) {
            throw Errors.tableBeingCreatedOrDeleted(t.tableName());
        }
    }

    /** Takes back a backup announced too late to hold: its point off the table, its record and its cache. */
    private static void withdraw(OperationContext context, TableDefinition t, Backup backup) {
        try {
            context.catalog().update(t.tableName(), current -> current.withoutBackupPoint(backup.backupId()));
        } finally {
            context.backups().remove(backup.backupId());
            context.removeCache(backup.cacheName());
        }
    }

    /** Names the backup's point in the table's definition, which writers read before each page write. */
    public static void announce(OperationContext context, TableDefinition t, Backup backup) {
        TableDefinition announced = context.catalog().update(t.tableName(), current -> {
            if (!current.tableId().equals(t.tableId())) {
                throw Errors.tableNotFoundForBackups(t.tableName());
            }
            checkUsable(current);
            List<BackupPoint> points = new ArrayList<>(current.backupsInProgress());
            points.add(new BackupPoint(backup.backupId(), backup.pointMicros(), backup.cacheName()));
            return current.withBackupPoints(points);
        });
        if (announced == null) {
            throw Errors.tableNotFoundForBackups(t.tableName());
        }
    }
}
