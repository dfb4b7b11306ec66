package dev.eddy.functions.faults;

/**
 * Restarting Infinispan nodes one at a time without losing data: stop a node with SIGTERM, start
 * it again, and stop the next one only once every node reports the cluster HEALTHY with all its
 * members (Infinispan's cluster health: the node has joined, no rebalance is in flight, no cache is
 * degraded). With owners = 2, stopping the next node while the previous one's segments are still
 * being copied back can take away the last copy of some entries; waiting for HEALTHY cannot.
 */
final class RollingRestart {
    private RollingRestart() {
    }

    /** Restarts one node and waits until the cluster is whole again; returns how long that took. */
    static long restart(FaultCluster cluster, int node) throws Exception {
        long start = System.currentTimeMillis();
        cluster.infinispan.get(node).stop();
        cluster.startInfinispan(node);
        cluster.awaitInfinispanRestarted(node);
        cluster.awaitInfinispanHealthy(180_000);
        return System.currentTimeMillis() - start;
    }
}
