package dev.eddy.functions;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One Vert.x event loop per core instead of Quarkus's two. Eddy's event loops never wait (what would
 * goes to a worker), so a second loop per core only adds a thread the kernel time-slices against the
 * first: on a one-core instance, under load, a request on the loop that is not running waits out the
 * other's time slice. Measured with wrk on one core (eventually consistent GetItem): p99 1.9-2.5 ms
 * with one loop against 5.8-8.2 ms with two, at the same 34 000-40 000 requests/s. A default only:
 * {@code quarkus.vertx.event-loops-pool-size} anywhere else (application.properties, -D, the
 * environment) wins.
 */
public final class EventLoopsPerCore implements ConfigSource {
    static final String PROPERTY = "quarkus.vertx.event-loops-pool-size";

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PROPERTY, Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public String getValue(String propertyName) {
        return getProperties().get(propertyName);
    }

    @Override
    public String getName() {
        return "eddy-event-loops-per-core";
    }

    /** Below application.properties (250), system properties (400) and the environment (300). */
    @Override
    public int getOrdinal() {
        return 50;
    }
}
