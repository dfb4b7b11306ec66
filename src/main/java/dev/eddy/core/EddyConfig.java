package dev.eddy.core;

import dev.eddy.core.encryption.EncryptionConfig;
import dev.eddy.core.stream.StreamConfig;

import dev.eddy.core.StorageConfig;

/**
 * Settings of one Eddy process.
 *
 * @param region                 reported in ARNs (and stream records)
 * @param role                   whether this process serves requests, runs the background duties, or both
 * @param accountId              reported in ARNs
 * @param streams                where change records of tables with streams go
 * @param transactionTimeoutMillis how long a transaction may stay undecided before whoever meets
 *                               its locks takes its coordinator for dead and aborts it
 * @param timeToLiveSweepMillis  how often expired items are looked for (the bound on how late
 *                               Time to Live deletes them, plus the pass itself)
 * @param statisticsMaxAgeMillis how old ItemCount and TableSizeBytes may get before a
 *                               DescribeTable asks for a recount
 * @param leaseMillis            how long a process's identity and a duty's lease live without
 *                               renewal: the bound on how soon another process takes over
 * @param streamRetentionMillis  how long a stream stays readable after it was disabled or its table
 *                               deleted (DynamoDB keeps it 24 hours), before its topic is deleted
 * @param endpointAddress        where clients reach this Eddy, host:port, as DescribeEndpoints reports it
 * @param encryption             encryption at rest: master keys and data key rotation
 * @param requestTimeoutMillis   how long after it came in a request may still start a change to an
 *                               item (a write, a transaction's decision); past it, what has not
 *                               started is refused ServiceUnavailable, so that nothing a request
 *                               does lands long after its client stopped waiting (0: no limit)
 */
public record EddyConfig(String region, String accountId, Role role, StorageConfig storage, long statisticsMaxAgeMillis,
                         StreamConfig streams, long timeToLiveSweepMillis, long transactionTimeoutMillis,
                         long leaseMillis, long streamRetentionMillis, String endpointAddress,
                         EncryptionConfig encryption, long requestTimeoutMillis) {
    public static final long DEFAULT_LEASE_MILLIS = 10_000;
    /** Under the read timeouts of the AWS SDKs and CLI (30 to 60 s), which a request must end well within. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_STREAM_RETENTION_MILLIS = 24 * 3600 * 1000L;
    public static final String DEFAULT_ENDPOINT_ADDRESS = "localhost:8000";

    /** The settings before the endpoint's address was configurable, with the local default. */
    public EddyConfig(String region, String accountId, Role role, StorageConfig storage, long statisticsMaxAgeMillis,
                      StreamConfig streams, long timeToLiveSweepMillis, long transactionTimeoutMillis,
                      long leaseMillis, long streamRetentionMillis) {
        this(region, accountId, role, storage, statisticsMaxAgeMillis, streams, timeToLiveSweepMillis,
                transactionTimeoutMillis, leaseMillis, streamRetentionMillis, DEFAULT_ENDPOINT_ADDRESS);
    }

    /** The settings before encryption at rest: off. */
    public EddyConfig(String region, String accountId, Role role, StorageConfig storage, long statisticsMaxAgeMillis,
                      StreamConfig streams, long timeToLiveSweepMillis, long transactionTimeoutMillis,
                      long leaseMillis, long streamRetentionMillis, String endpointAddress) {
        this(region, accountId, role, storage, statisticsMaxAgeMillis, streams, timeToLiveSweepMillis,
                transactionTimeoutMillis, leaseMillis, streamRetentionMillis, endpointAddress, EncryptionConfig.NONE);
    }

    /** The settings before the request timeout was configurable, with its default. */
    public EddyConfig(String region, String accountId, Role role, StorageConfig storage, long statisticsMaxAgeMillis,
                      StreamConfig streams, long timeToLiveSweepMillis, long transactionTimeoutMillis,
                      long leaseMillis, long streamRetentionMillis, String endpointAddress,
                      EncryptionConfig encryption) {
        this(region, accountId, role, storage, statisticsMaxAgeMillis, streams, timeToLiveSweepMillis,
                transactionTimeoutMillis, leaseMillis, streamRetentionMillis, endpointAddress, encryption,
                DEFAULT_REQUEST_TIMEOUT_MILLIS);
    }

    /** The same settings with encryption at rest as given. */
    public EddyConfig withEncryption(EncryptionConfig encryption) {
        return new EddyConfig(region, accountId, role, storage, statisticsMaxAgeMillis, streams, timeToLiveSweepMillis,
                transactionTimeoutMillis, leaseMillis, streamRetentionMillis, endpointAddress, encryption,
                requestTimeoutMillis);
    }

    /** The same settings with the request timeout as given (0: none). */
    public EddyConfig withRequestTimeout(long millis) {
        return new EddyConfig(region, accountId, role, storage, statisticsMaxAgeMillis, streams, timeToLiveSweepMillis,
                transactionTimeoutMillis, leaseMillis, streamRetentionMillis, endpointAddress, encryption, millis);
    }

    /** The settings before leases and stream retention were configurable, with their defaults. */
    public EddyConfig(String region, String accountId, Role role, StorageConfig storage, long statisticsMaxAgeMillis,
                      StreamConfig streams, long timeToLiveSweepMillis, long transactionTimeoutMillis) {
        this(region, accountId, role, storage, statisticsMaxAgeMillis, streams, timeToLiveSweepMillis,
                transactionTimeoutMillis, DEFAULT_LEASE_MILLIS, DEFAULT_STREAM_RETENTION_MILLIS);
    }
}
