package dev.eddy.core.table;

/** Provisioned read and write capacity units, kept and reported; Eddy does not throttle on them. */
public record Throughput(long readCapacityUnits, long writeCapacityUnits, Long lastIncreaseMillis,
                         Long lastDecreaseMillis, int decreasesToday) {
    public static final Throughput ZERO = new Throughput(0, 0, null, null, 0);
}
