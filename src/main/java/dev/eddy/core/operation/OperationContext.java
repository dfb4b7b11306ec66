package dev.eddy.core.operation;

import dev.eddy.core.EddyConfig;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.BackupCatalog;
import dev.eddy.core.encryption.Encryption;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.TableStatistics;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.StreamReader;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.transaction.TransactionLog;
import java.util.concurrent.Executor;

/**
 * What operations work with: the parts of the store a request reaches, and nothing of the process
 * around them (its roles, duties, connections). The store gives each operation this at
 * construction; operations never see the {@code Eddy} facade.
 */
public interface OperationContext {
    EddyConfig config();

    TableCatalog catalog();

    ItemStore items();

    TableStatistics statistics();

    TransactionLog transactionLog();

    /** The on-demand backups' metadata. */
    BackupCatalog backups();

    /** Encryption at rest: a new table's (or backup's) cache gets its data key before its first value. */
    Encryption encryption();

    /** Publishes change records; null when no Kafka is configured. */
    StreamPublisher streamPublisher();

    /** Reads stream records back for the Streams API; null when no Kafka is configured. */
    StreamReader streamReader();

    /** A table's own cache, created from the table template when the table is. */
    void createCache(String cacheName);

    boolean cacheExists(String cacheName);

    void removeCache(String cacheName);

    /** Sets an engine-wide timer, e.g. deleting a stream's topic once its retention is over. */
    void later(long dueMillis, byte action, String argument);

    /** Where work that waits on the servers runs when an operation that never waits meets some (rare paths). */
    Executor blocking();

    /**
     * Prepares another registered operation on a request built here (a PartiQL statement runs as the
     * item operation it was planned into; a PartiQL transaction as TransactWriteItems).
     *
     * @param planned whether the request is a planner's, not a client's
     */
    Prepared prepare(String operation, Request request);

    /** Whether this process serves the operation (the registry has it). */
    boolean serves(String operation);
}
