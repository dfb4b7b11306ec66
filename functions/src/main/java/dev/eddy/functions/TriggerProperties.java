package dev.eddy.functions;

import dev.eddy.triggers.dispatcher.TriggerConfig;
import dev.eddy.triggers.mappings.FunctionDirectory;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The triggers this process's maintenance role dispatches: properties {@code eddy.triggers.<name>.<setting>}, and
 * environment variables {@code EDDY_TRIGGERS_<NAME>_<SETTING>} as a pod sets them (see
 * {@link TriggerConfig#fromEnvironment}). A property wins over a variable for the same setting.
 */
final class TriggerProperties {
    private TriggerProperties() {
    }

    /**
     * The functions event source mappings may name: {@code eddy.functions.<name>.<setting>} and
     * {@code EDDY_FUNCTIONS_<NAME>_<SETTING>}, read the same way.
     */
    static Map<String, String> functions(Config config) {
        Map<String, String> variables = new HashMap<>();
        Map<String, String> properties = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("EDDY_FUNCTIONS_")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> variables.put(name, v));
            } else if (name.startsWith(FunctionDirectory.PREFIX) && !fromEnvironment(config, name)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> properties.put(name, v));
            }
        }
        Map<String, String> functions = new HashMap<>(FunctionDirectory.fromEnvironment(variables));
        functions.putAll(properties);
        return functions;
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
