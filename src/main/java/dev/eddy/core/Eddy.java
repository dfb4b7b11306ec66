package dev.eddy.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.api.Prepared;
import dev.eddy.core.api.Replies;
import dev.eddy.core.api.Reply;
import dev.eddy.core.api.Request;
import dev.eddy.core.backup.BackupCatalog;
import dev.eddy.core.backup.PageCapture;
import dev.eddy.core.encryption.Encryption;
import dev.eddy.core.operation.OperationContext;
import dev.eddy.core.operation.Operations;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The store: its connections, catalog, item storage, change log and operations; in the maintenance
 * role (or both roles, the embedded default) also the background duties. One per process;
 * thread-safe. {@link #execute} is the single entry every transport (wire protocol, Funqy,
 * CloudEvents) uses.
 */
public final class Eddy implements AutoCloseable {
    private static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.shared();
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
    /** The rare waits of operations that otherwise never wait (a lock's transaction looked up, a page split). */
    private final ThreadPoolExecutor blocking = new ThreadPoolExecutor(32, 32, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), BackgroundThreads.named("eddy-blocking"));
    {
        blocking.allowCoreThreadTimeOut(true);
    }

    public Eddy(EddyConfig config) {
        this.config = config;
        this.storage = new Storage(config.storage());
        meters.gauge("eddy.storage.requests", storage::serverRequests);
        meters.gauge("eddy.storage.local-reads", storage::localReads);
        this.encryption = new Encryption(storage, config.encryption().masterKeys());
        encryption.checkAtStart(); // a wrong or missing master key stops the start here, before anything is served
        storage.sealWith(encryption::sealOf);
        this.catalog = new TableCatalog(storage);
        storage.eventual(TableCatalog.CACHE); // opened now: request threads then find tables without waiting
        // A table's cache answering "not ready" is DeleteTable's race or its node stopping: the catalog tells.
        storage.removalsKnownBy(cache -> !cache.startsWith(Encryption.TABLE_CACHE_PREFIX) || catalog.removing(cache),
                blocking);
        this.items = new ItemStore(storage, config.storage().pageBytes(), meters);
        items.blocking(blocking);
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
        this.operations = new Operations(new Context());
    }

    /** What operations see of the store (see {@link OperationContext}): never this facade itself. */
    private final class Context implements OperationContext {
        @Override
        public EddyConfig config() {
            return config;
        }

        @Override
        public TableCatalog catalog() {
            return catalog;
        }

        @Override
        public ItemStore items() {
            return items;
        }

        @Override
        public TableStatistics statistics() {
            return statistics;
        }

        @Override
        public TransactionLog transactionLog() {
            return transactionLog;
        }

        @Override
        public BackupCatalog backups() {
            return backups;
        }

        @Override
        public Encryption encryption() {
            return encryption;
        }

        @Override
        public StreamPublisher streamPublisher() {
            return streamPublisher;
        }

        @Override
        public StreamReader streamReader() {
            return streamReader;
        }

        @Override
        public void createCache(String cacheName) {
            storage.createCache(cacheName);
        }

        @Override
        public boolean cacheExists(String cacheName) {
            return storage.cacheExists(cacheName);
        }

        @Override
        public void removeCache(String cacheName) {
            storage.removeCache(cacheName);
        }

        @Override
        public void later(long dueMillis, byte action, String argument) {
            Eddy.this.later(dueMillis, action, argument);
        }

        @Override
        public Executor blocking() {
            return blocking;
        }

        @Override
        public Prepared prepare(String operation, Request request) {
            return operations.find(operation).operation().prepare(request);
        }

        @Override
        public boolean serves(String operation) {
            return operations.has(operation);
        }
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

    /**
     * The request a raw body (DynamoDB JSON 1.0) holds for an operation, read in one pass with the
     * members the operation reads as they stream by. The size is checked first: DynamoDB takes at
     * most 16 MB.
     */
    public Request request(Operations.Registered operation, byte[] body) {
        if (body.length == 0) {
            throw Errors.unparseable();
        }
        if (body.length > MAX_REQUEST_BYTES) {
            throw Errors.requestTooLarge(operation.name());
        }
        return Request.parse(body, operation.operation().shape());
    }

    /** Parses a raw request body and runs the named operation here, waiting for its answer (tests, tools). */
    public byte[] execute(String operationName, byte[] body) {
        Operations.Registered op = operations.find(operationName);
        return Replies.await(run(op, request(op, body)));
    }

    /** Parses a raw DynamoDB Streams request ({@code X-Amz-Target: DynamoDBStreams_20120810.*}) and runs it. */
    public byte[] executeStreams(String operationName, byte[] body) {
        Operations.Registered op = operations.findStreams(operationName);
        return Replies.await(run(op, request(op, body)));
    }

    /** Runs the named operation on an already parsed request (the Funqy and CloudEvents path), waiting for its answer. */
    public byte[] execute(String operationName, JsonNode request) {
        dev.eddy.core.json.WellFormedText.checkStrings(request);
        return Replies.await(run(operations.find(operationName), asRequest(request)));
    }

    /** As {@link #execute(String, JsonNode)}, for an operation of the DynamoDB Streams API. */
    public byte[] executeStreams(String operationName, JsonNode request) {
        dev.eddy.core.json.WellFormedText.checkStrings(request);
        return Replies.await(run(operations.findStreams(operationName), asRequest(request)));
    }

    private static Request asRequest(JsonNode request) {
        if (request == null || request.isNull() || request.isMissingNode()) {
            request = JSON.createObjectNode();
        }
        if (!request.isObject()) {
            throw Errors.serialization("Start of structure or map found where not expected.");
        }
        return new Request(request);
    }

    /**
     * Prepares and runs a request, its reply written as the response body. Continuations run on the
     * calling thread: callers that must not wait use {@link Operations.Registered#operation()} and its
     * {@link Prepared} themselves.
     */
    public CompletionStage<byte[]> run(Operations.Registered operation, Request request) {
        Prepared prepared;
        try {
            prepared = operation.operation().prepare(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(tableGone(e));
        }
        return prepared.run(Runnable::run).thenApply(Eddy::body).handle((body, failure) -> {
            if (failure != null) {
                throw tableGone(failure);
            }
            return body;
        });
    }

    /** A reply as a response body: a JSON object of the members the reply writes. */
    public static byte[] body(Reply reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            reply.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Where this store runs the rare waits of operations that otherwise never wait. */
    public Executor blocking() {
        return blocking;
    }

    /**
     * The error a failed request is answered with, as its operation threw it (not wrapped); a request
     * that lost a race with DeleteTable (it found the table, then its cache was removed) answers as
     * DynamoDB answers for a table that is not there: ResourceNotFoundException. Every transport maps
     * failures through this.
     */
    public static RuntimeException tableGone(Throwable failure) {
        RuntimeException e = Replies.unwrap(failure);
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
        blocking.shutdown();
    }
}
