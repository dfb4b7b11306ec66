package dev.eddy.functions.faults;

import dev.eddy.devstack.EmbeddedInfinispan;
import java.util.List;
import org.infinispan.AdvancedCache;
import org.infinispan.commands.VisitableCommand;
import org.infinispan.commons.IllegalLifecycleStateException;
import org.infinispan.context.InvocationContext;
import org.infinispan.factories.ComponentRegistry;
import org.infinispan.interceptors.AsyncInterceptorChain;
import org.infinispan.interceptors.DDAsyncInterceptor;

/**
 * A cache that answers as it does while it stops with its node (a rolling restart, a cluster starting
 * again): every request that reaches it fails with ISPN005066, "not ready". Stopping the cache for real
 * does this too, but also changes the topology the Hot Rod client follows, which in Infinispan 16.0-16.2
 * can wedge the client for good on loopback (Infinispan issue 18003, fixed in 16.3, not served here).
 */
public final class StoppingCache {
    private volatile boolean stopping;

    private StoppingCache() {
    }

    /** Installs the answer on every node's copy of the cache; it answers only once {@link #stop()} is called. */
    public static StoppingCache on(List<EmbeddedInfinispan> nodes, String cacheName) {
        StoppingCache fault = new StoppingCache();
        for (EmbeddedInfinispan node : nodes) {
            AdvancedCache<?, ?> cache = node.cacheManager().getCache(cacheName).getAdvancedCache();
            ComponentRegistry.componentOf(cache, AsyncInterceptorChain.class).addInterceptor(fault.new Answer(cacheName), 0);
        }
        return fault;
    }

    public void stop() {
        stopping = true;
    }

    public void start() {
        stopping = false;
    }

    private final class Answer extends DDAsyncInterceptor {
        private final String cacheName;

        Answer(String cacheName) {
            this.cacheName = cacheName;
        }

        @Override
        protected Object handleDefault(InvocationContext ctx, VisitableCommand command) throws Throwable {
            if (stopping && ctx.isOriginLocal()) {
                throw new IllegalLifecycleStateException("ISPN005066: Cache '" + cacheName + "' is not ready");
            }
            return invokeNext(ctx, command);
        }
    }
}
