package dev.eddy.core.storage.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.Iterator;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Netty's event loops, with one change: a channel registered from one of these loops' own threads
 * is registered in a task queued on that thread, so it runs after the caller's current task.
 *
 * <p>Netty's {@code Bootstrap.connect()} resolves the address and connects only once the channel is
 * registered, and always connects in a task of the channel's loop. So while the registering thread
 * is still in its current task, nothing has touched the connect future: it cannot have failed, from
 * that thread or any other, and a caller holding a lock there never sees the failure inline. The
 * resolution, the connect and their failure all come later, on the channel's loop, with no lock of
 * the caller's held. Bootstrap handles a registration that is not done yet (it waits for it), as
 * does the Hot Rod client. Registrations from other threads go straight through, as before.
 */
final class DeferringLoopGroup extends AbstractEventExecutorGroup implements EventLoopGroup {
    private final EventLoopGroup loops;

    DeferringLoopGroup(EventLoopGroup loops) {
        this.loops = loops;
    }

    @Override
    public ChannelFuture register(Channel channel) {
        EventLoop loop = loops.next();
        return register(loop, new DefaultChannelPromise(channel, loop));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return register(loops.next(), promise);
    }

    @Deprecated
    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return register(promise);
    }

    private ChannelFuture register(EventLoop loop, ChannelPromise promise) {
        EventExecutor caller = callersLoop();
        if (caller == null) {
            return loop.register(promise);
        }
        try {
            caller.execute(() -> loop.register(promise));
        } catch (RejectedExecutionException stopping) {
            promise.setFailure(stopping); // the loop is shutting down: the client is stopping
        }
        return promise;
    }

    /** The loop of this group whose thread is calling, or null. */
    private EventExecutor callersLoop() {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return null;
    }

    @Override
    public EventLoop next() {
        return loops.next();
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return loops.iterator();
    }

    @Override
    public boolean isShuttingDown() {
        return loops.isShuttingDown();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return loops.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return loops.terminationFuture();
    }

    @Deprecated
    @Override
    public void shutdown() {
        loops.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return loops.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return loops.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return loops.awaitTermination(timeout, unit);
    }
}
