package dev.eddy.triggers.mappings;

import dev.eddy.core.BackgroundThreads;
import dev.eddy.core.lease.Duty;
import dev.eddy.triggers.dispatcher.RecordCheck;
import dev.eddy.triggers.dispatcher.TriggerConfig;
import dev.eddy.triggers.dispatcher.TriggerDispatcher;
import dev.eddy.triggers.dispatcher.TriggerStats;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A trigger's dispatcher as a maintenance duty: the process holding the duty's lease runs it, so a
 * mapping's stream is read by one dispatcher in the cluster, and another maintenance process takes
 * it over (from the committed offsets) when the holder dies. Positions are the dispatcher's own,
 * committed to the trigger's Kafka consumer group as records are settled: Kafka keeps them per
 * partition at the pace of delivery, and the group fences a holder that lost the lease but has not
 * stopped yet (the next holder joins as the same static member), which a cursor in the lease could
 * not do without a write per commit.
 */
abstract class DispatcherDuty implements Duty {
    private static final Logger LOG = Logger.getLogger(DispatcherDuty.class);

    private final String bootstrapServers;
    private final Map<String, String> kafkaClient;
    /** Which records Eddy wrote: only those reach the function (a forged one on the topic is skipped). */
    private final RecordCheck check;
    /** Kept across restarts of the dispatcher, so the trigger's meters go on counting. */
    final TriggerStats stats = new TriggerStats();
    private TriggerDispatcher running;
    private Object runningVersion;

    DispatcherDuty(String bootstrapServers, Map<String, String> kafkaClient, RecordCheck check) {
        this.bootstrapServers = bootstrapServers;
        this.kafkaClient = kafkaClient;
        this.check = check;
    }

    /** The trigger's name in metrics and logs. */
    abstract String trigger();

    @Override
    public long intervalMillis() {
        return 500;
    }

    /** Runs the dispatcher for this configuration, restarting it when {@code version} changed. */
    synchronized void ensureRunning(TriggerConfig config, Object version) {
        if (running != null && version.equals(runningVersion)) {
            return;
        }
        stopNow();
        running = TriggerDispatcher.start(config, bootstrapServers, kafkaClient, stats, check, soleMemberId());
        runningVersion = version;
        LOG.infof("Trigger %s dispatching %s to %s", trigger(), config.describeSource(), config.functionUrl());
    }

    synchronized boolean isRunning() {
        return running != null;
    }

    /**
     * The dispatcher's static membership of its consumer group: the lease makes it the only member, so a
     * new holder takes the partitions over at once (fencing a holder that lost the lease but still polls)
     * instead of waiting for a killed holder's session to run out. One id per duty, in Kafka's id alphabet.
     */
    String soleMemberId() {
        return "eddy-duty-" + trigger().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Stops the dispatcher, committing how far it got, before returning. */
    synchronized void stopNow() {
        if (running != null) {
            running.close();
            running = null;
            runningVersion = null;
        }
    }

    /** The lease is gone: stop on another thread (a delivery may take its timeout to end), so the duty runner goes on. */
    @Override
    public void stopped() {
        TriggerDispatcher d;
        synchronized (this) {
            d = running;
            running = null;
            runningVersion = null;
        }
        if (d != null) {
            BackgroundThreads.named("eddy-trigger-stop-" + trigger()).newThread(d::close).start();
        }
    }
}
