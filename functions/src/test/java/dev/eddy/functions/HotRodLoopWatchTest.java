package dev.eddy.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watch of the Hot Rod client's event loops ({@link HotRodLoopWatch}) on real Netty loops: a loop
 * held past the bound is counted once, however long it stays held; loops that run are not.
 */
class HotRodLoopWatchTest {
    @Test
    void aLoopHeldPastTheBoundIsReportedOnce() throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(2);
        CountDownLatch release = new CountDownLatch(1);
        try (HotRodLoopWatch watch = new HotRodLoopWatch(() -> List.of(group), 500, 100)) {
            Thread.sleep(1_000);
            assertEquals(0, watch.stalls(), "loops that run their tasks");
            group.next().execute(() -> {
                try {
                    release.await(); // the loop's thread is held
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long until = System.currentTimeMillis() + 5_000;
            while (watch.stalls() == 0 && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
            assertEquals(1, watch.stalls(), "the held loop");
            Thread.sleep(1_500);
            assertEquals(1, watch.stalls(), "reported once while it stays held");
            release.countDown();
            Thread.sleep(500);
            assertEquals(1, watch.stalls(), "a loop that moves again is no new stall");
        } finally {
            release.countDown();
            assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS));
        }
    }
}
