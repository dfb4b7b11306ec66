package dev.eddy.functions;

import dev.eddy.core.BackgroundThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Says in the log when a Hot Rod client's event loop stops running its tasks, and what its thread is
 * doing: every second each loop is handed a task that notes when it ran; a loop whose task has waited
 * longer than {@link #STALLED_AFTER_MILLIS} is logged once, with its thread's stack, and again when it
 * moves. Netty has no watch of its own (Vert.x has one for its loops); a stalled loop holds every
 * request whose connections it serves (the fault suite saw one hold a write's read for 25 s in a
 * network partition), so the stack it was stalled in is what finds the cause. Costs one task per loop
 * a second.
 */
final class HotRodLoopWatch implements AutoCloseable {
    static final long STALLED_AFTER_MILLIS = 5_000;
    private static final Logger LOG = Logger.getLogger(HotRodLoopWatch.class);

    /** One loop: its thread (once a task of ours ran there), and when the task it has not run yet was handed to it. */
    private static final class Watched {
        final EventExecutor loop;
        volatile Thread thread;
        volatile long handedAt; // 0: none waiting
        volatile boolean reported;

        Watched(EventExecutor loop) {
            this.loop = loop;
        }
    }

    private final Supplier<List<EventLoopGroup>> groups;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("eddy-hotrod-loop-watch"));
    private final long stalledAfterMillis;
    private List<Watched> watched = List.of();
    private volatile long stalls;

    HotRodLoopWatch(Supplier<List<EventLoopGroup>> groups) {
        this(groups, STALLED_AFTER_MILLIS, 1_000);
    }

    HotRodLoopWatch(Supplier<List<EventLoopGroup>> groups, long stalledAfterMillis, long everyMillis) {
        this.groups = groups;
        this.stalledAfterMillis = stalledAfterMillis;
        timer.scheduleWithFixedDelay(this::tick, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    /** Stalls seen since the start (a loop that did not run a task for longer than the bound). */
    long stalls() {
        return stalls;
    }

    private void tick() {
        try {
            List<EventExecutor> loops = new ArrayList<>();
            for (EventLoopGroup group : groups.get()) {
                group.forEach(loops::add); // the clients make their loops when they first connect
            }
            if (loops.size() != watched.size()) {
                List<Watched> next = new ArrayList<>();
                for (EventExecutor loop : loops) {
                    next.add(watched.stream().filter(w -> w.loop == loop).findFirst().orElseGet(() -> new Watched(loop)));
                }
                watched = next;
            }
            long now = System.currentTimeMillis();
            for (Watched w : watched) {
                long handed = w.handedAt;
                if (handed == 0) {
                    if (w.loop.isShuttingDown()) {
                        continue;
                    }
                    w.handedAt = now;
                    w.loop.execute(() -> ran(w));
                } else if (!w.reported && now - handed > stalledAfterMillis) {
                    w.reported = true;
                    stalls++;
                    Thread t = w.thread;
                    LOG.warnf("Hot Rod client event loop %s has not run a task for %d ms; its thread is at:%s",
                            t == null ? w.loop.toString() : t.getName(), now - handed, stack(t));
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Watching the Hot Rod event loops: %s", e.toString());
        }
    }

    private void ran(Watched w) {
        w.thread = Thread.currentThread();
        if (w.reported) {
            LOG.warnf("Hot Rod client event loop %s runs again after %d ms", w.thread.getName(),
                    System.currentTimeMillis() - w.handedAt);
            w.reported = false;
        }
        w.handedAt = 0;
    }

    private static String stack(Thread t) {
        if (t == null) {
            return " (not known yet)";
        }
        StringBuilder b = new StringBuilder();
        b.append(" state ").append(t.getState());
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\n\tat ").append(e);
        }
        return b.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
