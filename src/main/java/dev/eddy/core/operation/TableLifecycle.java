package dev.eddy.core.operation;

import dev.eddy.core.maintenance.MaintenanceDuties;
import dev.eddy.core.stream.StreamTopics;
import dev.eddy.core.table.TableDefinition;

/**
 * The steps of creating and deleting a table. Each step is idempotent, so any instance that finds
 * a table left half-way (its creator or deleter died) finishes the job.
 */
final class TableLifecycle {
    private TableLifecycle() {
    }

    /** Creates the table's cache and marks it ACTIVE. */
    static TableDefinition finishCreating(OperationContext context, TableDefinition t) {
        context.createCache(t.cacheName());
        TableDefinition active = context.catalog().update(t.tableName(), current ->
                current.cacheName().equals(t.cacheName()) && TableDefinition.CREATING.equals(current.status())
                        ? current.withStatus(TableDefinition.ACTIVE) : current);
        return active;
    }

    /**
     * Drops the table's cache (its data) and then its catalog entry. Its stream, if it had one,
     * stays readable for the stream retention, then its topic is deleted by the maintenance role.
     */
    static void finishDeleting(OperationContext context, TableDefinition t) {
        retireStream(context, t);
        if (context.cacheExists(t.cacheName())) {
            context.removeCache(t.cacheName());
        }
        context.statistics().forget(t);
        context.catalog().remove(t.tableName());
    }

    /** Sets the timer that deletes the table's latest stream topic once the stream retention is over. */
    static void retireStream(OperationContext context, TableDefinition t) {
        if (t.latestStreamLabel() != null) {
            context.later(System.currentTimeMillis() + context.config().streamRetentionMillis(), MaintenanceDuties.DELETE_TOPIC,
                    StreamTopics.topic(t));
        }
    }
}
