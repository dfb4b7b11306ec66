package dev.eddy.core.stream;

/**
 * Where change records go.
 *
 * @param bootstrapServers Kafka; null keeps no records (tables can still enable streams, but
 *                         nothing is recorded: the process says so at startup)
 * @param partitions       partitions (= shards) of each stream topic
 * @param replication      replication factor of stream topics
 * @param sweepMillis      how often the sweeper looks for records left unpublished
 * @param staleMillis      how old a record must be before the sweeper publishes it (the writer
 *                         normally has within milliseconds)
 */
public record StreamConfig(String bootstrapServers, int partitions, short replication, long sweepMillis,
                           long staleMillis) {
    public static StreamConfig none() {
        return new StreamConfig(null, 1, (short) 1, 5000, 2000);
    }
}
