package dev.eddy.functions.faults;

import dev.eddy.devstack.EmbeddedInfinispan;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.infinispan.AdvancedCache;
import org.infinispan.commands.write.DataWriteCommand;
import org.infinispan.commands.write.PutKeyValueCommand;
import org.infinispan.commands.write.ReplaceCommand;
import org.infinispan.commons.marshall.WrappedByteArray;
import org.infinispan.context.InvocationContext;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.interceptors.AsyncInterceptorChain;
import org.infinispan.interceptors.DDAsyncInterceptor;

/**
 * Replies the cluster loses after it applied the write: the node whose Hot Rod server took the
 * request sees the write succeed on the owners, then every client connection of the cluster is
 * closed before the reply goes out, as when that server is killed at that moment. The Hot Rod client
 * retries the operation on a new connection (issue 15).
 */
public final class LostReplies {
    private final List<EmbeddedInfinispan> nodes;
    private final AtomicInteger lost = new AtomicInteger();
    private volatile byte[] armedKey;

    private LostReplies(List<EmbeddedInfinispan> nodes) {
        this.nodes = nodes;
    }

    /** Watches the writes to one cache on every node. */
    public static LostReplies on(List<EmbeddedInfinispan> nodes, String cacheName) {
        LostReplies replies = new LostReplies(nodes);
        for (EmbeddedInfinispan node : nodes) {
            AdvancedCache<?, ?> cache = node.cacheManager().getCache(cacheName).getAdvancedCache();
            ComponentRegistry.componentOf(cache, AsyncInterceptorChain.class).addInterceptor(replies.new Watch(), 0);
        }
        return replies;
    }

    /** Loses the reply of the next successful write that stores this key. */
    public void loseNextReplyFor(byte[] key) {
        armedKey = key;
    }

    /** Replies lost so far. */
    public int lost() {
        return lost.get();
    }

    private final class Watch extends DDAsyncInterceptor {
        @Override
        public Object visitReplaceCommand(InvocationContext ctx, ReplaceCommand command) {
            return invokeNextThenAccept(ctx, command, (c, cmd, rv) -> applied(c, cmd));
        }

        @Override
        public Object visitPutKeyValueCommand(InvocationContext ctx, PutKeyValueCommand command) {
            return invokeNextThenAccept(ctx, command, (c, cmd, rv) -> applied(c, cmd));
        }

        private void applied(InvocationContext ctx, DataWriteCommand command) {
            byte[] armed = armedKey;
            // On the node that took the request, once the owners have applied the write.
            if (armed == null || !ctx.isOriginLocal() || !command.isSuccessful()
                    || !(command.getKey() instanceof WrappedByteArray k) || !Arrays.equals(armed, k.getBytes())) {
                return;
            }
            armedKey = null;
            for (EmbeddedInfinispan node : nodes) {
                node.dropClientConnections(); // before the reply, which is written after this returns
            }
            lost.incrementAndGet();
        }
    }
}
