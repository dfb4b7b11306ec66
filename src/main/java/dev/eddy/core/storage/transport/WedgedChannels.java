package dev.eddy.core.storage.transport;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.infinispan.client.hotrod.RemoteCacheManager;
import org.infinispan.client.hotrod.configuration.Configuration;
import org.infinispan.client.hotrod.exceptions.TransportException;
import org.infinispan.client.hotrod.impl.transport.netty.OperationChannel;
import org.infinispan.client.hotrod.impl.transport.netty.OperationDispatcher;
import org.jboss.logging.Logger;

/**
 * Finds the Hot Rod client's connections to a server that are wedged, and has the client open them
 * again.
 *
 * <p>Why: the 16.0.12 client (16.2.2 has the same code) sets up a new connection in a listener of its
 * connect future ({@code OperationChannel.attemptConnect}). When the server closes the connection as it
 * opens (a node stopping in a rolling restart) and the listener runs after the close, the pipeline has
 * no decoder any more and the listener fails with a NullPointerException after it set the closed
 * channel as the server's, before it marked the connection accepting requests. Nothing resets that
 * state (the close was handled before the channel was set), so every operation for that server is
 * queued and never sent: no timeout covers an operation not sent, and what waits on it waits forever.
 * Fault scenario 2 (full form) saw it: one function instance's post-write work (stream records, index
 * entries) for writes it had acknowledged stopped for good at the moment the client logged that
 * NullPointerException, and every later write through that instance was acknowledged with its records
 * stuck too.
 *
 * <p>A server's connection whose channel is set but closed, seen so twice a second apart (a closed
 * channel is normally cleared at once, by the close's own handling), is handed to the client's own
 * connection-failure handling on its event loop: the pending connect fails, the queued operations fail
 * over as after any broken connection (the client retries them), and the next operation for that server
 * opens a new connection.
 */
public final class WedgedChannels implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WedgedChannels.class);

    /** A client whose dispatcher this watch may reach (the client gives it to subclasses only). */
    public static final class WatchedClient extends RemoteCacheManager {
        public WatchedClient(Configuration configuration) {
            super(configuration);
        }

        public OperationDispatcher dispatcher() {
            return getOperationDispatcher();
        }
    }

    private final List<WatchedClient> clients;
    private final LongAdder reopened;
    private final Map<OperationChannel, Channel> suspects = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("eddy-hotrod-channel-watch", true));

    /** Watches the clients once a second; {@code reopened} counts the connections handed back. */
    public WedgedChannels(List<WatchedClient> clients, LongAdder reopened) {
        this.clients = List.copyOf(clients);
        this.reopened = reopened;
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** The clients watched. */
    public List<WatchedClient> clients() {
        return clients;
    }

    void check() {
        try {
            for (WatchedClient client : clients) {
                OperationDispatcher dispatcher = client.dispatcher();
                if (dispatcher == null) {
                    continue;
                }
                for (SocketAddress server : dispatcher.getServers()) {
                    OperationChannel operations = dispatcher.getHandlerForAddress(server);
                    if (operations != null) {
                        check(dispatcher, operations);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Checking the Hot Rod client's connections");
        }
    }

    private void check(OperationDispatcher dispatcher, OperationChannel operations) {
        Channel channel = operations.getChannel();
        if (channel == null || channel.isActive()) {
            suspects.remove(operations);
            return;
        }
        if (suspects.put(operations, channel) != channel) {
            return; // first seen so (or another closed channel since): look again in a second
        }
        suspects.remove(operations);
        reopened.increment();
        LOG.warnf("The Hot Rod client's connection to %s is closed but still set, with %d operations queued to it "
                + "and none sent (the client's connect listener failed after the server closed it); opening it again",
                operations.getAddress(), operations.pendingChannelOperations().size());
        channel.eventLoop().execute(() -> {
            if (operations.getChannel() == channel) {
                dispatcher.handleConnectionFailure(operations,
                        new TransportException("The connection was closed as it opened", operations.getAddress()));
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
