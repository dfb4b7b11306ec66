package dev.eddy.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.api.Operation;
import dev.eddy.core.api.Operations;
import dev.eddy.core.api.Request;
import dev.eddy.core.error.Errors;
import dev.eddy.core.index.GlobalIndexes;
import dev.eddy.core.storage.ItemStore;
import dev.eddy.core.stream.StreamPublisher;
import dev.eddy.core.stream.StreamReader;
import dev.eddy.core.storage.Storage;
import dev.eddy.core.storage.TableStatistics;
import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.transaction.TransactionLog;
import dev.eddy.core.ttl.Expirer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The store: its connections, catalog, item storage and operations. One per process; thread-safe.
 * {@link #execute} is the single entry every transport (wire protocol, Funqy, CloudEvents) uses.
 */
public final class Eddy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final EddyConfig config;
    private final Meters meters = new Meters();
    private final Storage storage;
    private final TableCatalog catalog;
    private final ItemStore items;
    private final TableStatistics statistics;
    private final GlobalIndexes globalIndexes;
    private final StreamPublisher streamPublisher;
    private final StreamReader streamReader;
    private final Expirer expirer;
    private final TransactionLog transactionLog;
    private final Operations operations;

    public Eddy(EddyConfig config) {
        this.config = config;
        this.storage = new Storage(config.storage());
        this.catalog = new TableCatalog(storage);
        this.items = new ItemStore(storage, config.storage().pageBytes());
        this.statistics = new TableStatistics(storage, config.statisticsMaxAgeMillis());
        this.transactionLog = new TransactionLog(storage, config.transactionTimeoutMillis());
        items.transactionStates(transactionLog::state);
        this.globalIndexes = new GlobalIndexes(items, catalog);
        this.streamPublisher = config.streams().bootstrapServers() == null ? null
                : new StreamPublisher(config.region(), config.streams(), items, catalog);
        this.streamReader = config.streams().bootstrapServers() == null ? null : new StreamReader(config.streams());
        this.expirer = new Expirer(items, catalog, config.timeToLiveSweepMillis());
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

    public GlobalIndexes globalIndexes() {
        return globalIndexes;
    }

    public TableStatistics statistics() {
        return statistics;
    }

    public Operations operations() {
        return operations;
    }

    /** Parses a raw request body (DynamoDB JSON 1.0) and runs the named operation. */
    public byte[] execute(String operationName, byte[] body) {
        Operation operation = operations.find(operationName);
        JsonNode request;
        if (body.length == 0) {
            throw Errors.unparseable();
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
        Operation operation = operations.find(operationName);
        dev.eddy.core.json.WellFormedText.checkStrings(request);
        return execute(operation, request);
    }

    private byte[] execute(Operation operation, JsonNode request) {
        if (request == null || request.isNull() || request.isMissingNode()) {
            request = JSON.createObjectNode();
        }
        if (!request.isObject()) {
            throw Errors.serialization("Start of structure or map found where not expected.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            operation.execute(new Request(request), g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        expirer.close();
        if (streamPublisher != null) {
            streamPublisher.close();
            streamReader.close();
        }
        globalIndexes.close();
        statistics.close();
        storage.close();
    }
}
