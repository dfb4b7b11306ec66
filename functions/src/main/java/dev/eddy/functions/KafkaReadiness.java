package dev.eddy.functions;

import dev.eddy.core.stream.StreamConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the configured Kafka answers, with the same client properties (SASL, TLS) the stream
 * publisher uses: a change record written now can be sent. Up with no Kafka configured (tables with
 * streams then record nothing, as the startup line says).
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    @Inject
    EddyRuntime runtime;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka");
        if (runtime.eddy() == null) {
            return response.down().withData("reason", "not started").build();
        }
        StreamConfig streams = runtime.eddy().config().streams();
        if (streams.bootstrapServers() == null) {
            return response.up().withData("bootstrap-servers", "none configured").build();
        }
        try {
            int brokers = admin(streams).describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            return response.status(brokers > 0).withData("bootstrap-servers", streams.bootstrapServers())
                    .withData("brokers", brokers).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    private synchronized Admin admin(StreamConfig streams) {
        if (admin == null) {
            Properties p = streams.kafkaProperties();
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "eddy-readiness");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
            admin = Admin.create(p);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
