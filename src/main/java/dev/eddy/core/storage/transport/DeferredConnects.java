package dev.eddy.core.storage.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.infinispan.client.hotrod.TransportFactory;

/**
 * The Hot Rod client's own transport (native epoll where the client picks it, else NIO), except
 * that a connection the client opens from one of its event-loop threads is started only after that
 * thread's current task (see {@link DeferringLoopGroup}).
 *
 * <p>Why: Infinispan issue 18003. The client opens connections to servers a new topology names
 * while it holds a non-reentrant lock ({@code OperationDispatcher.updateTopology}); a connection
 * attempt that has already failed when it returns (a name that fails to resolve at once, or a
 * refused loopback connect that another event loop finished meanwhile) runs the failure handler
 * there, which takes the same lock, and the event-loop thread parks forever with every later
 * operation of that client behind it. Remove this class once the client is 16.3.0 or newer
 * (the fix, infinispan/infinispan#18004); 16.0.x to 16.2.x all have the bug.
 *
 * <p>Configured with its own factory the client no longer shuts the event loops down when it
 * stops: {@link #close()} does, after the clients using them have stopped. The loops run on threads
 * of their own rather than the client's executor, which the client shuts down first (a loop that
 * never ran needs a thread to terminate).
 */
public final class DeferredConnects implements TransportFactory, AutoCloseable {
    private final List<EventLoopGroup> groups = new CopyOnWriteArrayList<>();
    private final List<ExecutorService> threads = new CopyOnWriteArrayList<>();

    @Override
    public Class<? extends SocketChannel> socketChannelClass() {
        return TransportFactory.DEFAULT.socketChannelClass();
    }

    @Override
    public Class<? extends DatagramChannel> datagramChannelClass() {
        return TransportFactory.DEFAULT.datagramChannelClass();
    }

    @Override
    public EventLoopGroup createEventLoopGroup(int maxExecutors, ExecutorService clientsExecutor) {
        ExecutorService loopThreads = Executors.newCachedThreadPool(new DefaultThreadFactory("eddy-hotrod-loop", true));
        threads.add(loopThreads);
        EventLoopGroup group = new DeferringLoopGroup(TransportFactory.DEFAULT.createEventLoopGroup(maxExecutors, loopThreads));
        groups.add(group);
        return group;
    }

    /** The event loops of the clients this factory serves (their threads are the clients' I/O). */
    public List<EventLoopGroup> eventLoops() {
        return List.copyOf(groups);
    }

    /** Stops the event loops of every client this factory served; call after those clients stopped. */
    @Override
    public void close() {
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        groups.clear();
        threads.forEach(ExecutorService::shutdown);
        threads.clear();
    }
}
