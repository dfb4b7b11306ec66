package dev.eddy.functions;

/** Free loopback ports for benchmarks that start servers themselves. */
public final class BenchPorts {
    private BenchPorts() {
    }

    public static int free() throws java.io.IOException {
        return InfinispanCluster.freePort();
    }
}
