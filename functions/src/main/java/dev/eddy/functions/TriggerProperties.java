package dev.eddy.functions;

import dev.eddy.triggers.dispatcher.TriggerConfig;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The triggers this process dispatches: properties {@code eddy.triggers.<name>.<setting>}, and
 * environment variables {@code EDDY_TRIGGERS_<NAME>_<SETTING>} as a pod sets them (see
 * {@link TriggerConfig#fromEnvironment}). A property wins over a variable for the same setting.
 */
final class TriggerProperties {
    private TriggerProperties() {
    }

    static Map<String, String> from(Config config) {
        Map<String, String> variables = new HashMap<>();
        Map<String, String> properties = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("EDDY_TRIGGERS_")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> variables.put(name, v));
            } else if (name.startsWith(TriggerConfig.PREFIX) && !fromEnvironment(config, name)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> properties.put(name, v));
            }
        }
        Map<String, String> triggers = new HashMap<>(TriggerConfig.fromEnvironment(variables));
        triggers.putAll(properties);
        return triggers;
    }

    /**
     * Whether the name is the configuration's own dotted guess at an environment variable (it
     * cannot know that FUNCTION_URL is function-url): the variable itself is read instead.
     */
    static boolean fromEnvironment(Config config, String name) {
        String source = config.getConfigValue(name).getSourceName();
        return source != null && source.startsWith("EnvConfigSource");
    }
}
