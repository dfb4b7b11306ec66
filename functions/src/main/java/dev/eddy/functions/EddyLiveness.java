package dev.eddy.functions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive once Eddy has started. Whether Infinispan or Kafka answer is readiness, not liveness: an
 * instance that cannot reach them is not helped by a restart.
 */
@Liveness
@ApplicationScoped
public class EddyLiveness implements HealthCheck {
    @Inject
    EddyRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("eddy").status(runtime.eddy() != null)
                .withData("role", runtime.role().name().toLowerCase(java.util.Locale.ROOT)).build();
    }
}
