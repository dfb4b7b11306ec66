package dev.eddy.functions.security;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Where the HTTP endpoint listens by default: on every interface when requests must be signed, and
 * on 127.0.0.1 alone when the embedded default runs without authentication, so an open endpoint is
 * never reachable from another machine by accident. Only a default: {@code quarkus.http.host} set
 * anywhere else wins (and a non-loopback one with authentication off is warned about at startup).
 * Dev and test keep Quarkus's own default (localhost).
 */
public final class LoopbackUnlessAuthenticated implements ConfigSourceFactory {
    static final String HOST = "quarkus.http.host";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().isEmpty() && !context.getProfiles().contains("prod")) {
            return List.of();
        }
        boolean authenticated = AuthModes.enabled(value(context, AuthModes.ENABLED), value(context, AuthModes.ROLE));
        boolean embedded = AuthModes.isEmbeddedDefault(value(context, AuthModes.ROLE));
        String host = authenticated || !embedded ? "0.0.0.0" : "127.0.0.1";
        // Below application.properties (250), the environment (300) and system properties (400).
        return List.of(new PropertiesConfigSource(Map.of(HOST, host), "eddy-http-host", 60));
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null ? null : v.getValue();
    }
}
