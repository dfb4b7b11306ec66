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

    /** Creates the table's cache and marks it ACTIVE; a table being restored stays CREATING until its items are in. */
    static TableDefinition finishCreating(OperationContext context, TableDefinition t) {
        context.createCache(t.cacheName());
        if (t.isRestoring()) {
            return t;
        }
        TableDefinition active = context.catalog().update(t.tableName(), current ->
                current.cacheName().equals(t.cacheName()) && TableDefinition.CREATING.equals(current.status())
                        && !current.isRestoring()
                        ? current.withStatus(TableDefinition.ACTIVE) : current);
        return active;
    }

    /**
     * How long a deleted table's cache outlives its catalog entry. Requests that found the table
     * before it left the catalog finish on its cache meanwhile: a cache removed under requests still
     * using it fails them, and on the servers a write cut short by the removal can leave its
     * connection unreadable for every request on it (issue 17, item 8).
     */
    static final long CACHE_REMOVAL_DELAY_MILLIS = 5_000;

    /**
     * Removes the table from the catalog and has the maintenance role drop its cache (its data) a
     * little later. Its stream, if it had one, stays readable for the stream retention, then its
     * topic is deleted by the maintenance role.
     */
    static void finishDeleting(OperationContext context, TableDefinition t) {
        retireStream(context, t);
        context.later(System.currentTimeMillis() + CACHE_REMOVAL_DELAY_MILLIS, MaintenanceDuties.REMOVE_CACHE,
                t.cacheName());
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
