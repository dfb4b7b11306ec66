package dev.eddy.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Operations;
import dev.eddy.core.api.Request;
import dev.eddy.core.encryption.Encryption;
import dev.eddy.core.backup.BackupCatalog;
import dev.eddy.core.backup.PageCapture;
import dev.eddy.core.error.Errors;
import dev.eddy.core.index.SecondaryIndexes;
import dev.eddy.core.lease.Instances;
import dev.eddy.core.lease.Leases;
import dev.eddy.core.maintenance.Maintenance;
import dev.eddy.core.maintenance.MaintenanceDuties;
import dev.eddy.core.outbox.PendingPages;
import dev.eddy.core.outbox.WriteCompletion;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.storage.TableStatistics;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.RecordSeal;
import dev.eddy.core.stream.StreamReader;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.transaction.TransactionLog;
import dev.eddy.core.ttl.ExpiryIndex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The store: its connections, catalog, item storage, change log and operations; in the maintenance
 * role (or both roles, the embedded default) also the background duties. One per process;
 * thread-safe. {@link #execute} is the single entry every transport (wire protocol, Funqy,
 * CloudEvents) uses.
 */
public final class Eddy implements AutoCloseable {
    private static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.mapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    /** DynamoDB takes requests of up to 16 MB (API Reference, BatchWriteItem: "The total request size exceeds 16 MB"). */
    public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final EddyConfig config;
    private final Meters meters = new Meters();
    private final Storage storage;
    private final Encryption encryption;
    private final TableCatalog catalog;
    private final ItemStore items;
    private final TableStatistics statistics;
    private final Instances instances;
    private final SecondaryIndexes indexes;
    private final ExpiryIndex expiries;
    private final StreamPublisher streamPublisher;
    private final StreamReader streamReader;
    private final PendingPages pending;
    private final WriteCompletion completion;
    private final TransactionLog transactionLog;
    private final BackupCatalog backups;
    private final Maintenance maintenance;
    private final Operations operations;
    private final RecordSeal recordSeal;

    public Eddy(EddyConfig config) {
        this.config = config;
        this.storage = new Storage(config.storage());
        meters.gauge("eddy.storage.requests", storage::serverRequests);
        this.encryption = new Encryption(storage, config.encryption().masterKeys());
        encryption.checkAtStart(); // a wrong or missing master key stops the start here, before anything is served
        storage.sealWith(encryption::sealOf);
        this.catalog = new TableCatalog(storage);
        this.items = new ItemStore(storage, config.storage().pageBytes(), meters);
        this.statistics = new TableStatistics(storage, config.statisticsMaxAgeMillis());
        this.transactionLog = new TransactionLog(storage, config.transactionTimeoutMillis());
        items.transactionStates(transactionLog::state);
        storage.createCache(MaintenanceDuties.SYSTEM_CACHE);
        this.instances = new Instances(storage, config.role().name().toLowerCase(java.util.Locale.ROOT),
                config.leaseMillis(), meters);
        this.indexes = new SecondaryIndexes(items, meters);
        this.expiries = new ExpiryIndex(items.queue());
        boolean kafka = config.streams().bootstrapServers() != null;
        RecordSeal seal = new RecordSeal(encryption.keys());
        this.streamPublisher = kafka ? new StreamPublisher(config.streams(), seal) : null;
        this.streamReader = kafka ? new StreamReader(config.streams(), seal) : null;
        this.recordSeal = seal;
        this.pending = new PendingPages(storage, instances, items, meters, this::cacheInUse);
        this.completion = new WriteCompletion(config.region(), items, catalog, indexes, expiries, streamPublisher, pending,
                meters, config.streams().sweepMillis());
        this.backups = new BackupCatalog(storage);
        new PageCapture(catalog, backups, transactionLog, meters).install(items);
        this.maintenance = config.role().runsDuties()
                ? MaintenanceDuties.start(config, storage, catalog, items, statistics, transactionLog, instances,
                        new Leases(storage, config.leaseMillis()), indexes, expiries, streamPublisher, pending, completion,
                        backups, encryption, meters)
                : null;
        this.operations = new Operations(this);
    }

    public EddyConfig config() {
        return config;
    }

    /** The engine's counts and gauges, for the application to expose as metrics. */
    public Meters meters() {
        return meters;
    }

    public Storage storage() {
        return storage;
    }

    /** Encryption at rest: master keys, data keys, and what each cache's values are sealed with. */
    public Encryption encryption() {
        return encryption;
    }

    /** Tells stream records Eddy wrote from anyone else's (the trigger dispatcher checks with it too). */
    public RecordSeal recordSeal() {
        return recordSeal;
    }

    public TableCatalog catalog() {
        return catalog;
    }

    public ItemStore items() {
        return items;
    }

    /** Publishes change records; null when no Kafka is configured. */
    public StreamPublisher streamPublisher() {
        return streamPublisher;
    }

    /** Reads stream records back for the Streams API; null when no Kafka is configured. */
    public StreamReader streamReader() {
        return streamReader;
    }

    public TransactionLog transactionLog() {
        return transactionLog;
    }

    public SecondaryIndexes indexes() {
        return indexes;
    }

    public TableStatistics statistics() {
        return statistics;
    }

    /** The on-demand backups' metadata. */
    public BackupCatalog backups() {
        return backups;
    }

    /** This process's identity among Eddy's processes. */
    public Instances instances() {
        return instances;
    }

    /** The background duties this process runs; null in the function role. */
    public Maintenance maintenance() {
        return maintenance;
    }

    public Operations operations() {
        return operations;
    }

    /** Whether a table's cache still belongs to a table (its pages' leftovers matter). */
    private boolean cacheInUse(String cacheName) {
        return storage.cacheExists(cacheName);
    }

    /** Sets an engine-wide timer, e.g. deleting a stream's topic once its retention is over. */
    public void later(long dueMillis, byte action, String argument) {
        MaintenanceDuties.later(items, dueMillis, action, argument);
    }

    /** Parses a raw request body (DynamoDB JSON 1.0) and runs the named operation. */
    public byte[] execute(String operationName, byte[] body) {
        Operation operation = operations.find(operationName);
        JsonNode request;
        if (body.length == 0) {
            throw Errors.unparseable();
        }
        if (body.length > MAX_REQUEST_BYTES) {
            throw Errors.requestTooLarge(operationName);
        }
        dev.eddy.core.json.WellFormedText.checkBody(body);
        try {
            request = JSON.readTree(body);
        } catch (JsonProcessingException | java.io.CharConversionException e) {
            // CharConversionException: Jackson took the bytes for UTF-16 or UTF-32 (they start with NULs)
            throw Errors.unparseable();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (dev.eddy.core.json.WellFormedText.mayEscapeSurrogate(body)) {
            dev.eddy.core.json.WellFormedText.checkStrings(request);
        }
        return execute(operation, request);
    }

    /**
     * Operations that only read, on the calling thread, which {@link #executeWithoutWaiting} may run
     * (BatchGetItem reads on a pool of its own, so it is not one).
     */
    private static final java.util.Set<String> READS = java.util.Set.of("GetItem", "Query");

    /**
     * Runs a read-only operation ({@link #mayRunWithoutWaiting}) if everything it needs is in this
     * instance already (the near cache, the table descriptions), without waiting on a server: the
     * response, or none when the request must run where it may wait (a near-cache miss, a consistent
     * read), and when it stopped at a near-cache miss, the read it started (try again when it lands).
     * Errors in the request are thrown as {@link #execute(String, byte[])} throws them.
     */
    public dev.eddy.core.storage.NonBlocking.Attempt<byte[]> executeWithoutWaiting(String operationName, byte[] body) {
        if (!mayRunWithoutWaiting(operationName)) {
            throw new IllegalArgumentException(operationName + " may wait on a server");
        }
        return dev.eddy.core.storage.NonBlocking.attempt(() -> execute(operationName, body));
    }

    /** Whether {@link #executeWithoutWaiting} takes this operation. */
    public boolean mayRunWithoutWaiting(String operationName) {
        return READS.contains(operationName);
    }

    /** Parses a raw DynamoDB Streams request ({@code X-Amz-Target: DynamoDBStreams_20120810.*}) and runs it. */
    public byte[] executeStreams(String operationName, byte[] body) {
        Operation operation = operations.findStreams(operationName);
        if (body.length == 0) {
            throw Errors.unparseable();
        }
        dev.eddy.core.json.WellFormedText.checkBody(body);
        try {
            JsonNode request = JSON.readTree(body);
            if (dev.eddy.core.json.WellFormedText.mayEscapeSurrogate(body)) {
                dev.eddy.core.json.WellFormedText.checkStrings(request);
            }
            return execute(operation, request);
        } catch (JsonProcessingException | java.io.CharConversionException e) {
            throw Errors.unparseable();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the named operation on an already parsed request (the Funqy and CloudEvents path). */
    public byte[] execute(String operationName, JsonNode request) {
        dev.eddy.core.json.WellFormedText.checkStrings(request);
        return execute(operations.find(operationName), request, false);
    }

    /** Runs an operation a PartiQL statement was planned into (see {@link Request#planned()}). */
    public byte[] executePlanned(String operationName, JsonNode request) {
        return execute(operations.find(operationName), request, true);
    }

    private byte[] execute(Operation operation, JsonNode request) {
        return execute(operation, request, false);
    }

    private byte[] execute(Operation operation, JsonNode request, boolean planned) {
        if (request == null || request.isNull() || request.isMissingNode()) {
            request = JSON.createObjectNode();
        }
        if (!request.isObject()) {
            throw Errors.serialization("Start of structure or map found where not expected.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            operation.execute(new Request(request, planned), g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw tableGone(e);
        }
        return out.toByteArray();
    }

    /**
     * A request that lost a race with DeleteTable (it found the table, then its cache was removed)
     * answers as DynamoDB answers for a table that is not there: ResourceNotFoundException.
     */
    private static RuntimeException tableGone(RuntimeException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof dev.eddy.core.error.DynamoException) {
                return e;
            }
            if (c instanceof Storage.MissingCacheException) {
                return Errors.resourceNotFound();
            }
        }
        return e;
    }

    /**
     * A graceful stop: duties released (other maintenance processes take them at once), queued
     * write completion finished, this process's identity marked ended (so what it leaves is finished
     * by the maintenance role without waiting for its heartbeat to expire), then the connections.
     */
    @Override
    public void close() {
        if (maintenance != null) {
            maintenance.close();
        }
        completion.close();
        pending.close();
        instances.close();
        if (streamPublisher != null) {
            streamPublisher.close();
            streamReader.close();
        }
        storage.close();
    }
}
