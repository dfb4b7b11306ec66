package dev.eddy.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the Hot Rod client deadlocked on itself, which it never leaves. Seen in MergeReadsTest (1 of
 * 4 runs, a node cut off from the cluster): a server's answer carried a new topology; the client
 * took its dispatcher's lock to apply it and connected to a server the topology added; the connect
 * failed at once, and the failure handler asked for the same lock on the same thread (a
 * {@code StampedLock}, not reentrant). That event-loop thread waits forever, and every later
 * operation of the client waits behind it: the instance is alive to Kubernetes but can never reach
 * Infinispan again. Present in infinispan-client-hotrod 16.0.12 to 16.2.2 (OperationChannel's
 * immediate-failure path runs the handler on the calling thread when the channel is not yet known).
 * The liveness check reports it, so the instance is restarted with a fresh client.
 */
final class WedgedHotRodClient {
    private static final String DISPATCHER = "org.infinispan.client.hotrod.impl.transport.netty.OperationDispatcher";

    private WedgedHotRodClient() {
    }

    /**
     * Whether a thread's stack is the self-deadlock: waiting for the dispatcher's lock in
     * {@code handleConnectionFailure}, called from within {@code updateTopology}, which holds it.
     */
    static boolean selfDeadlocked(Thread.State state, StackTraceElement[] stack) {
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        int failure = -1;
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement f = stack[i];
            if (!DISPATCHER.equals(f.getClassName())) {
                continue;
            }
            if (failure < 0 && "handleConnectionFailure".equals(f.getMethodName())) {
                failure = i;
            } else if (failure >= 0 && "updateTopology".equals(f.getMethodName())) {
                return waitsForLockAbove(stack, failure);
            }
        }
        return false;
    }

    private static boolean waitsForLockAbove(StackTraceElement[] stack, int frame) {
        for (int i = 0; i < frame; i++) {
            if ("java.util.concurrent.locks.StampedLock".equals(stack[i].getClassName())) {
                return true;
            }
        }
        return false;
    }

    /** The names of this process's threads stuck so (empty: none); a look at every thread's stack, a few ms. */
    static List<String> deadlockedThreads() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (selfDeadlocked(t.getState(), e.getValue())) { // Eddy names the client's threads eddy-hotrod-loop-*
                out.add(t.getName());
            }
        }
        return out;
    }
}
