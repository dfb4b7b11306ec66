package dev.eddy.functions;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * Puts {@link WireFront} ahead of Quarkus's web router: DynamoDB requests skip the router's route
 * matching, body handler and per-request routing context (measured at about 8% of an eventually
 * consistent GetItem), while everything else reaches the router as before. Quarkus has no public
 * hook for a handler of its HTTP server's requests: its recorder keeps the handler the server calls
 * in a static field ({@code VertxHttpRecorder.rootHandler}, read on every request, which is how dev
 * mode swaps applications), and the front wraps what is there. Should a Quarkus version move that
 * field, the front is installed as the router's first route instead (slower, same behaviour), and
 * that is logged.
 */
@ApplicationScoped
public class FrontHook {
    private static final Logger LOG = Logger.getLogger(FrontHook.class);
    private static final String RECORDER = "io.quarkus.vertx.http.runtime.VertxHttpRecorder";

    @Inject
    WireFront front;

    private volatile boolean ahead;

    /** Whether the front runs ahead of the router (false: as its first route). */
    boolean ahead() {
        return ahead;
    }

    void routes(@Observes Router router) {
        // Until (or unless) the front is ahead of the router, it is the router's first route.
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            if (ahead || rc.get("eddy.front") != null) {
                rc.next();
                return;
            }
            rc.put("eddy.front", Boolean.TRUE);
            front.handleInRouter(rc);
        });
    }

    @SuppressWarnings("unchecked")
    void start(@Observes StartupEvent event) {
        try {
            Field root = Class.forName(RECORDER).getDeclaredField("rootHandler");
            root.setAccessible(true);
            Handler<HttpServerRequest> router = (Handler<HttpServerRequest>) root.get(null);
            if (router == null) {
                throw new IllegalStateException("no root handler yet");
            }
            front.next(router);
            root.set(null, front);
            ahead = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Eddy: the DynamoDB endpoint runs as the web router's first route (%s); requests cost a "
                    + "little more than ahead of the router", e.toString());
        }
    }
}
