package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Hot Rod client's self-deadlock as a thread dump of MergeReadsTest showed it (the client's
 * event-loop thread, top frames first), and stacks that resemble it but can still move.
 */
class WedgedHotRodClientTest {
    private static final String NETTY = "org.infinispan.client.hotrod.impl.transport.netty.";

    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, null, -1);
    }

    private static final StackTraceElement[] DEADLOCKED = {
            frame("jdk.internal.misc.Unsafe", "park"),
            frame("java.util.concurrent.locks.LockSupport", "park"),
            frame("java.util.concurrent.locks.StampedLock", "acquireWrite"),
            frame("java.util.concurrent.locks.StampedLock", "writeLock"),
            frame(NETTY + "OperationDispatcher", "handleConnectionFailure"),
            frame(NETTY + "ChannelHandler$$Lambda$1862/0x00007f7878747798", "accept"),
            frame(NETTY + "OperationChannel", "handleError"),
            frame(NETTY + "OperationChannel", "attemptConnect"),
            frame(NETTY + "ChannelHandler", "startChannelIfNeeded"),
            frame(NETTY + "OperationDispatcher", "updateCacheInfo"),
            frame(NETTY + "OperationDispatcher", "updateTopology"),
            frame(NETTY + "HeaderDecoder", "readNewTopologyAndHash"),
            frame(NETTY + "HeaderDecoder", "decode"),
            frame("io.netty.channel.epoll.EpollEventLoop", "run"),
    };

    @Test
    void aThreadWaitingForTheLockItsTopologyUpdateHoldsIsDeadlocked() {
        assertTrue(WedgedHotRodClient.selfDeadlocked(Thread.State.WAITING, DEADLOCKED));
    }

    @Test
    void aConnectionFailureHandledOutsideATopologyUpdateOnlyWaits() {
        StackTraceElement[] waiting = java.util.Arrays.copyOfRange(DEADLOCKED, 0, 9); // no updateTopology below
        assertFalse(WedgedHotRodClient.selfDeadlocked(Thread.State.WAITING, waiting));
    }

    @Test
    void aRunningThreadOrATopologyUpdateNotWaitingForTheLockIsNot() {
        assertFalse(WedgedHotRodClient.selfDeadlocked(Thread.State.RUNNABLE, DEADLOCKED));
        StackTraceElement[] connecting = java.util.Arrays.copyOfRange(DEADLOCKED, 7, DEADLOCKED.length);
        assertFalse(WedgedHotRodClient.selfDeadlocked(Thread.State.WAITING, connecting));
    }

    @Test
    void thisProcessHasNoSuchThread() {
        assertEquals(List.of(), WedgedHotRodClient.deadlockedThreads());
    }
}
