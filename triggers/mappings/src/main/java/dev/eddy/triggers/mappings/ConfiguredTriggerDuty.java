package dev.eddy.triggers.mappings;

import dev.eddy.triggers.dispatcher.RecordCheck;
import dev.eddy.triggers.dispatcher.TriggerConfig;
import java.util.Map;

/**
 * A trigger set in configuration ({@code eddy.triggers.<name>.*}), run as a mapping is: under its
 * lease {@code trigger:<name>} in one maintenance process, through the same dispatcher. Its settings
 * are the process's own and never change while it runs.
 */
final class ConfiguredTriggerDuty extends DispatcherDuty {
    static final String PREFIX = "trigger:";

    private final TriggerConfig config;

    ConfiguredTriggerDuty(TriggerConfig config, String bootstrapServers, Map<String, String> kafkaClient,
                          RecordCheck check) {
        super(bootstrapServers, kafkaClient, check);
        this.config = config;
    }

    @Override
    public String name() {
        return PREFIX + config.name();
    }

    @Override
    String trigger() {
        return config.name();
    }

    @Override
    public boolean run(Held held) {
        if (held.stillHeld()) {
            ensureRunning(config, config);
        }
        return false;
    }
}
