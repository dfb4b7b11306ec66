package dev.eddy.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * How background work reports a failure: counted ({@code eddy.background.failures}, tagged with
 * the task) every time, and logged at WARN with what will retry it, at most once per ten seconds
 * per task with the number of failures since the last line, so a long Kafka outage is a line every
 * ten seconds, not one per record.
 */
public final class BackgroundFailures {
    private static final Logger LOG = Logger.getLogger(BackgroundFailures.class);
    private static final long QUIET_MILLIS = 10_000;

    private final Meters meters;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong lastLogged = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }

    public BackgroundFailures(Meters meters) {
        this.meters = meters;
    }

    /**
     * @param task  what failed, as a metric tag (e.g. "stream-publish")
     * @param what  the failure in words, for the log line
     * @param retry what will retry it, for the log line
     */
    public void report(String task, String what, Throwable cause, String retry) {
        meters.counter("eddy.background.failures", "task", task).increment();
        Window w = windows.computeIfAbsent(task, t -> new Window());
        long now = System.currentTimeMillis();
        long last = w.lastLogged.get();
        if (now - last < QUIET_MILLIS || !w.lastLogged.compareAndSet(last, now)) {
            w.suppressed.incrementAndGet();
            return;
        }
        long more = w.suppressed.getAndSet(0);
        LOG.warnf("%s failed%s%s; %s", what, cause == null ? "" : " (" + cause + ")",
                more == 0 ? "" : " (and " + more + " more times since the last report)", retry);
        if (cause != null) {
            LOG.debug("Failure detail", cause);
        }
    }
}
