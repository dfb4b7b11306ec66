package dev.eddy.core;

import dev.eddy.core.stream.StreamConfig;

import dev.eddy.core.storage.StorageConfig;

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
 *                               DescribeTable starts a recount
 */
public record EddyConfig(String region, String accountId, Role role, StorageConfig storage, long statisticsMaxAgeMillis,
                         StreamConfig streams, long timeToLiveSweepMillis, long transactionTimeoutMillis) {
}
