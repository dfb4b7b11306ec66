package dev.eddy.functions;

import dev.eddy.core.json.WellFormedText;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bodies for the Funqy routes (POST /{operation}, CloudEvents) must be well-formed UTF-8 before
 * Funqy's parser, which decodes overlong forms silently, sees them; the wire protocol checks its
 * bodies in the core ({@code Eddy.execute}).
 */
@ApplicationScoped
public class WellFormedBodies {
    void routes(@Observes Router router) {
        router.post().order(-150).handler(this::check);
    }

    private void check(RoutingContext rc) {
        if (rc.request().getHeader("X-Amz-Target") == null && rc.body() != null && rc.body().available()
                && rc.body().buffer() != null) {
            try {
                WellFormedText.checkBody(rc.body().buffer().getBytes());
            } catch (RuntimeException e) {
                rc.fail(e);
                return;
            }
        }
        rc.next();
    }
}
