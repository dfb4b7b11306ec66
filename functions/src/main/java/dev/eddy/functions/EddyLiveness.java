package dev.eddy.functions;

import dev.eddy.core.Eddy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Alive once Eddy has started, unless its Hot Rod client is stuck: only a new process gets a working
 * client. Whether Infinispan or Kafka answer is readiness, not liveness: an instance that cannot reach
 * them is not helped by a restart. Two ways of being stuck are told apart from a cluster that is away:
 * <ul>
 * <li>the client deadlocked on itself ({@link WedgedHotRodClient}), seen in its threads' stacks;
 * <li>any other cause: the heartbeat fails while a client made for the check reaches the cluster
 * ({@link StuckHotRodClient}).
 * </ul>
 */
@Liveness
@ApplicationScoped
public class EddyLiveness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(EddyLiveness.class);
    @Inject
    EddyRuntime runtime;

    @Inject
    EddySettings settings;

    private volatile StuckHotRodClient stuck;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("eddy")
                .withData("role", runtime.role().name().toLowerCase(java.util.Locale.ROOT));
        Eddy eddy = runtime.eddy();
        if (eddy == null) {
            return response.down().build();
        }
        List<String> wedged = WedgedHotRodClient.deadlockedThreads();
        if (!wedged.isEmpty()) {
            LOG.errorf("The Infinispan Hot Rod client is deadlocked on itself in a topology update (threads %s): "
                    + "no request can reach Infinispan again; reporting not alive, so the instance is restarted", wedged);
            return response.down().withData("hotrod-client", "deadlocked in " + wedged).build();
        }
        String why = check(eddy).stuck(System.currentTimeMillis());
        if (why != null) {
            LOG.errorf("The Infinispan Hot Rod client is stuck: %s; reporting not alive, so the instance is restarted", why);
            return response.down().withData("hotrod-client", why).build();
        }
        return response.up().build();
    }

    /** The check of the second kind, for the Eddy started last. */
    private StuckHotRodClient check(Eddy eddy) {
        StuckHotRodClient c = stuck;
        if (c == null || c.storage != eddy.storage()) {
            c = new StuckHotRodClient(eddy.storage(), eddy.instances(),
                    settings.infinispan().stuckClientAfter().toMillis());
            stuck = c;
        }
        return c;
    }
}
