package dev.eddy.functions;

import dev.eddy.core.lease.Instances;
import dev.eddy.core.storage.Storage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Tells this process's Hot Rod client stuck, whatever the cause, from a cluster that is away: the
 * heartbeat (a Hot Rod write every third of the lease) has not renewed this instance's identity for
 * {@code stuckAfter}, a client made for the check (its own connections and event loops) reached the
 * cluster, and the heartbeat has not renewed in the {@code stuckAfter} since either. The fault suite
 * saw an instance whose every Hot Rod request timed out for four minutes while the cluster served
 * every other process (no dump showed where its client was held); no duty moved, since the instance
 * kept saying it was alive whenever its clock said so. A restart is what helps there.
 *
 * <p>The fresh client runs off the caller's thread (a connection may take seconds): one call starts
 * it and a later one reads its finding, so a liveness probe never waits for it.
 */
final class StuckHotRodClient {
    private static final Logger LOG = Logger.getLogger(StuckHotRodClient.class);
    /** How long the fresh client gets to connect and read. */
    static final int FRESH_TIMEOUT_MILLIS = 5_000;

    /** The clients checked (the liveness check makes a new check for a new Eddy's). */
    final Storage storage;
    private final Instances instances;
    private final long stuckAfter;
    private final AtomicBoolean checking = new AtomicBoolean();
    /** When a fresh client last tried; when one first reached the cluster after the heartbeat's last renewal. */
    private volatile long lastTried;
    private volatile long reachedAt;

    StuckHotRodClient(Storage storage, Instances instances, long stuckAfterMillis) {
        this.storage = storage;
        this.instances = instances;
        this.stuckAfter = stuckAfterMillis;
    }

    /** What shows the client stuck at {@code now}, or null while nothing does. */
    String stuck(long now) {
        long renewed = instances.renewedMillis();
        if (now - renewed < stuckAfter) {
            return null;
        }
        long reached = reachedAt;
        if (reached > renewed && now - reached >= stuckAfter) {
            return "the heartbeat has not renewed this instance for " + (now - renewed) / 1000 + " s, although a "
                    + "client of its own reached the cluster " + (now - reached) / 1000 + " s ago";
        }
        if (now - lastTried >= 2L * FRESH_TIMEOUT_MILLIS && checking.compareAndSet(false, true)) {
            lastTried = now;
            Thread t = new Thread(() -> {
                try {
                    long at = System.currentTimeMillis();
                    if (storage.reachableAfresh(Instances.CACHE, FRESH_TIMEOUT_MILLIS)
                            && reachedAt <= instances.renewedMillis()) {
                        reachedAt = at;
                        LOG.warnf("The heartbeat has not renewed this instance for %d s while a client of its own "
                                + "reached the cluster: the instance's client is taken for stuck if that lasts %d s",
                                (at - renewed) / 1000, stuckAfter / 1000);
                    }
                } finally {
                    checking.set(false);
                }
            }, "eddy-liveness-fresh-client");
            t.setDaemon(true);
            t.start();
        }
        return null;
    }
}
