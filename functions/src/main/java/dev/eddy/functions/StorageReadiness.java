package dev.eddy.functions;

import dev.eddy.core.table.TableCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when Infinispan answers: one consistent read of the table catalog, which proves the Hot
 * Rod connection (and its authentication) works and the catalog cache is open.
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    private static final String PROBE_TABLE = "eddy-readiness-probe";

    @Inject
    EddyRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("infinispan");
        if (runtime.eddy() == null) {
            return response.down().withData("reason", "not started").build();
        }
        try {
            runtime.eddy().catalog().findConsistent(PROBE_TABLE);
            return response.up().withData("servers", runtime.eddy().config().storage().servers())
                    .withData("catalog", TableCatalog.CACHE).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
