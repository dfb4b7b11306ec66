package dev.eddy.core.stream;

/**
 * Where change records go.
 *
 * @param bootstrapServers Kafka; null keeps no records (tables can still enable streams, but
 *                         nothing is recorded: the process says so at startup)
 * @param partitions       partitions (= shards) of each stream topic
 * @param replication      replication factor of stream topics
 * @param sweepMillis      how often change records that could not be carried out are retried, and
 *                         how often the maintenance role looks for processes that died or ended
 */
public record StreamConfig(String bootstrapServers, int partitions, short replication, long sweepMillis) {
    public static StreamConfig none() {
        return new StreamConfig(null, 1, (short) 1, 5000);
    }
}
