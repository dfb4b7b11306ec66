package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.core.StorageConfig;
import io.netty.channel.Channel;
import java.lang.reflect.Field;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.infinispan.client.hotrod.impl.transport.netty.HeaderDecoder;
import org.infinispan.client.hotrod.impl.transport.netty.OperationChannel;
import org.infinispan.client.hotrod.impl.transport.netty.OperationDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Hot Rod connection left as the 16.0.12 client leaves one whose server closed it as it opened (its
 * connect listener fails with a NullPointerException: the channel set but closed, the connect pending,
 * not accepting requests; fault scenario 2 met it in a rolling restart): every operation for that server
 * is queued and never sent. The watch opens it again, and an operation queued meanwhile is answered.
 * The state is made on the real client: its decoder taken out (so the close is not handled, as in the
 * race), the channel closed, and the two fields the failed listener never set put back as they were then.
 */
class WedgedChannelsTest {
    private final TestNode node = new TestNode(0, StorageConfig.DEFAULT_PAGE_BYTES);

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aConnectionClosedAsItOpenedIsOpenedAgainAndWhatWasQueuedToItIsAnswered() throws Exception {
        String cacheName = Storage.PREFIX + "wedge";
        node.storage.createCache(cacheName);
        Entries entries = node.storage.strong(cacheName);
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        entries.put(key, value);

        OperationDispatcher dispatcher = node.storage.wedgedChannels().clients().get(0).dispatcher();
        SocketAddress server = dispatcher.getServers().iterator().next();
        OperationChannel operations = dispatcher.getHandlerForAddress(server);
        Channel channel = operations.getChannel();
        CompletableFuture<Void> wedged = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                channel.pipeline().remove(HeaderDecoder.class);
                channel.close();
                @SuppressWarnings("unchecked")
                AtomicReference<CompletableFuture<Void>> connect = (AtomicReference<CompletableFuture<Void>>) field("attemptedConnect").get(operations);
                connect.set(new CompletableFuture<>());
                field("acceptingRequests").setBoolean(operations, false);
                wedged.complete(null);
            } catch (Exception e) {
                wedged.completeExceptionally(e);
            }
        });
        wedged.get(10, TimeUnit.SECONDS);

        Entries.Versioned read = entries.getVersionedAsync(key).get(20, TimeUnit.SECONDS);
        assertArrayEquals(value, read.value(), "the read queued to the wedged connection is answered");
        assertEquals(1, node.storage.reopenedConnections(), "the connection was opened again once");
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = OperationChannel.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
