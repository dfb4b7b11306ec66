package dev.eddy.functions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Alive once Eddy has started, unless its Hot Rod client is deadlocked on itself
 * ({@link WedgedHotRodClient}: only a new process gets a working client). Whether Infinispan or Kafka
 * answer is readiness, not liveness: an instance that cannot reach them is not helped by a restart.
 */
@Liveness
@ApplicationScoped
public class EddyLiveness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(EddyLiveness.class);

    @Inject
    EddyRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("eddy")
                .withData("role", runtime.role().name().toLowerCase(java.util.Locale.ROOT));
        if (runtime.eddy() == null) {
            return response.down().build();
        }
        List<String> wedged = WedgedHotRodClient.deadlockedThreads();
        if (!wedged.isEmpty()) {
            LOG.errorf("The Infinispan Hot Rod client is deadlocked on itself in a topology update (threads %s): "
                    + "no request can reach Infinispan again; reporting not alive, so the instance is restarted", wedged);
            return response.down().withData("hotrod-client", "deadlocked in " + wedged).build();
        }
        return response.up().build();
    }
}
