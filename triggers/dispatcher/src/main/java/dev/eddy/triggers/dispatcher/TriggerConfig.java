package dev.eddy.triggers.dispatcher;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One trigger: which table's stream feeds which function, and how, with the settings and limits of
 * a Lambda event source mapping for DynamoDB Streams. Read from properties named
 * {@code eddy.triggers.<name>.<setting>}; see the triggers README for the table of settings.
 *
 * @param table the table whose newest stream topic ({@code eddy.stream.<table>.<label>}) is read;
 *        null when {@code topic} is given
 * @param topic an explicit topic; null when {@code table} is given
 * @param maximumRetryAttempts -1 for no limit (Lambda's default)
 * @param maximumRecordAgeInSeconds -1 for no limit (Lambda's default)
 * @param onFailureTopic the dead-letter topic for records given up on; null to drop them
 * @param duplicateLookback how many records before the committed offset are read back, without
 *        delivering them, when a partition is assigned, so duplicates of records delivered before
 *        a restart or rebalance are still recognised
 * @param trackedItemsPerPartition how many items' last delivered SequenceNumber each partition
 *        remembers (least recently seen are forgotten first)
 * @param parallelizationFactor batches of one partition in flight at once (ParallelizationFactor):
 *        the partition's items are spread over this many lanes by key, each with its own batch, so
 *        one item's changes still arrive in order
 * @param tumblingWindow Lambda's tumbling windows (TumblingWindowInSeconds), zero for none
 * @param latestFromMillis with {@code LATEST}, the time the trigger was created: a first run starts at
 *        the first record written after it (rather than at the end of the topic when the run starts);
 *        0 to start at the end
 */
public record TriggerConfig(
        String name,
        String table,
        String topic,
        URI functionUrl,
        Delivery delivery,
        String cloudEventType,
        int batchSize,
        Duration maximumBatchingWindow,
        StartingPosition startingPosition,
        int maximumRetryAttempts,
        int maximumRecordAgeInSeconds,
        boolean bisectBatchOnFunctionError,
        boolean reportBatchItemFailures,
        String onFailureTopic,
        FilterCriteria filterCriteria,
        String bootstrapServers,
        String groupId,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        Duration invocationTimeout,
        int duplicateLookback,
        int trackedItemsPerPartition,
        boolean enabled,
        int parallelizationFactor,
        Duration tumblingWindow,
        long latestFromMillis) {

    public static final String PREFIX = "eddy.triggers.";

    /** Every setting a trigger takes, as it appears in property names. */
    public static final List<String> SETTINGS = List.of("table", "topic", "function-url", "delivery",
            "cloudevent-type", "batch-size", "maximum-batching-window-in-seconds", "starting-position",
            "maximum-retry-attempts", "maximum-record-age-in-seconds", "bisect-batch-on-function-error",
            "function-response-types", "on-failure-topic", "filter-criteria", "bootstrap-servers", "group-id",
            "retry-initial-backoff", "retry-max-backoff", "invocation-timeout", "duplicate-lookback",
            "tracked-items-per-partition", "enabled", "parallelization-factor", "tumbling-window-in-seconds");
    private static final String ENV_PREFIX = "EDDY_TRIGGERS_";

    /** How the batch travels to the function. */
    public enum Delivery {
        /** A plain JSON POST of {@code {"Records":[...]}} (Funqy's {@code POST /<function>}). */
        HTTP,
        /** The same body as a binary-mode CloudEvent ({@code ce-*} headers), for Knative sinks. */
        CLOUDEVENT
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    public TriggerConfig {
        if ((table == null) == (topic == null)) {
            throw new IllegalArgumentException(PREFIX + name + ": set exactly one of table and topic");
        }
    }

    /** The same trigger, reading from {@code LATEST} as of this time (see {@code latestFromMillis}). */
    public TriggerConfig withLatestFrom(long millis) {
        return new TriggerConfig(name, table, topic, functionUrl, delivery, cloudEventType, batchSize,
                maximumBatchingWindow, startingPosition, maximumRetryAttempts, maximumRecordAgeInSeconds,
                bisectBatchOnFunctionError, reportBatchItemFailures, onFailureTopic, filterCriteria, bootstrapServers,
                groupId, retryInitialBackoff, retryMaxBackoff, invocationTimeout, duplicateLookback,
                trackedItemsPerPartition, enabled, parallelizationFactor, tumblingWindow, millis);
    }

    /** The topic to read, or the table's topic prefix to resolve when only the table is set. */
    public String describeSource() {
        return topic != null ? "topic " + topic : "table " + table + " (" + StreamTopics.prefix(table) + "*)";
    }

    /**
     * Every trigger configured under {@code eddy.triggers.}: other properties are ignored. Throws
     * IllegalArgumentException naming the property when a setting is unknown or out of range.
     */
    public static List<TriggerConfig> fromProperties(Map<String, String> properties) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException(key + ": expected " + PREFIX + "<name>.<setting>");
            }
            byName.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>()).put(rest.substring(dot + 1), value);
        });
        List<TriggerConfig> triggers = new ArrayList<>();
        byName.forEach((name, settings) -> triggers.add(of(name, settings)));
        return triggers;
    }

    /**
     * Triggers set as environment variables, as a pod sets them: {@code EDDY_TRIGGERS_<NAME>_<SETTING>},
     * the setting in upper case with '_' for '-' ({@code EDDY_TRIGGERS_AUDIT_FUNCTION_URL}), read as
     * {@code eddy.triggers.<name>.<setting>} with the name in lower case. The longest setting that
     * ends the variable's name is taken, so a name may contain '_'. Other variables are ignored.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        List<String> longestFirst = SETTINGS.stream()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
        Map<String, String> properties = new TreeMap<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith(ENV_PREFIX)) {
                return;
            }
            String rest = variable.substring(ENV_PREFIX.length());
            for (String setting : longestFirst) {
                String suffix = "_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
                if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                    String name = rest.substring(0, rest.length() - suffix.length()).toLowerCase(Locale.ROOT);
                    properties.put(PREFIX + name + "." + setting, value);
                    return;
                }
            }
        });
        return properties;
    }

    /** One trigger from its settings (the part of each property name after {@code eddy.triggers.<name>.}). */
    public static TriggerConfig of(String name, Map<String, String> settings) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(PREFIX + name + ": a trigger name is letters, digits, '-' and '_'");
        }
        Settings s = new Settings(name, settings);
        String table = s.text("table");
        String topic = s.text("topic");
        URI functionUrl = s.url("function-url");
        Delivery delivery = s.choice("delivery", Delivery.class, Delivery.HTTP);
        String cloudEventType = s.text("cloudevent-type", "dev.eddy.stream.batch");
        int batchSize = s.integer("batch-size", 100, 1, 10_000);
        Duration window = s.seconds("maximum-batching-window-in-seconds", 0, 300);
        StartingPosition start = s.choice("starting-position", StartingPosition.class, StartingPosition.TRIM_HORIZON);
        int retries = s.integer("maximum-retry-attempts", -1, -1, 10_000);
        int maxAge = s.integer("maximum-record-age-in-seconds", -1, -1, 604_800);
        if (maxAge >= 0 && maxAge < 60) {
            throw s.invalid("maximum-record-age-in-seconds", "must be -1 (no limit) or between 60 and 604800");
        }
        boolean bisect = s.bool("bisect-batch-on-function-error", false);
        boolean reportFailures = s.responseTypes("function-response-types");
        String onFailure = s.text("on-failure-topic");
        FilterCriteria filters = s.filterCriteria("filter-criteria");
        String bootstrap = s.text("bootstrap-servers");
        String groupId = s.text("group-id", "eddy-trigger-" + name);
        Duration initialBackoff = s.duration("retry-initial-backoff", Duration.ofMillis(100));
        Duration maxBackoff = s.duration("retry-max-backoff", Duration.ofSeconds(30));
        Duration timeout = s.duration("invocation-timeout", Duration.ofSeconds(60));
        int lookback = s.integer("duplicate-lookback", 1000, 0, 1_000_000);
        int tracked = s.integer("tracked-items-per-partition", 100_000, 1, 100_000_000);
        boolean enabled = s.bool("enabled", true);
        int parallelization = s.integer("parallelization-factor", 1, 1, 10);
        Duration tumbling = s.seconds("tumbling-window-in-seconds", 0, 900);
        s.rejectUnknown();
        if (functionUrl == null) {
            throw new IllegalArgumentException(PREFIX + name + ".function-url: required");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw s.invalid("retry-max-backoff", "must not be shorter than retry-initial-backoff");
        }
        return new TriggerConfig(name, table, topic, functionUrl, delivery, cloudEventType, batchSize, window, start,
                retries, maxAge, bisect, reportFailures, onFailure, filters, bootstrap, groupId, initialBackoff,
                maxBackoff, timeout, lookback, tracked, enabled, parallelization, tumbling, 0);
    }

    /** Reads one trigger's settings, remembering which were read so leftovers (typos) are refused. */
    private static final class Settings {
        private final String name;
        private final Map<String, String> values;
        private final Set<String> known = new HashSet<>();

        Settings(String name, Map<String, String> values) {
            this.name = name;
            this.values = values;
        }

        IllegalArgumentException invalid(String key, String why) {
            return new IllegalArgumentException(PREFIX + name + "." + key + ": " + why + ", got \"" + values.get(key) + "\"");
        }

        String text(String key) {
            known.add(key);
            String v = values.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String text(String key, String fallback) {
            String v = text(key);
            return v == null ? fallback : v;
        }

        int integer(String key, int fallback, int min, int max) {
            BigDecimal n = number(key, min, max, true);
            return n == null ? fallback : n.intValueExact();
        }

        boolean bool(String key, boolean fallback) {
            String v = text(key);
            if (v == null) {
                return fallback;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw invalid(key, "must be true or false");
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
            String v = text(key);
            if (v == null) {
                return fallback;
            }
            try {
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw invalid(key, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }

        URI url(String key) {
            String v = text(key);
            if (v == null) {
                return null;
            }
            try {
                URI uri = URI.create(v);
                if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw invalid(key, "must be an http or https URL");
        }

        /** Seconds as Lambda counts them; fractions are accepted too. */
        Duration seconds(String key, int min, int max) {
            BigDecimal n = number(key, min, max, false);
            return n == null ? Duration.ZERO : Duration.ofMillis(n.movePointRight(3).longValue());
        }

        /** The setting as a number from min to max (whole if asked), or null when it is not set. */
        private BigDecimal number(String key, int min, int max, boolean whole) {
            String v = text(key);
            if (v == null) {
                return null;
            }
            try {
                BigDecimal n = new BigDecimal(v);
                if ((!whole || n.stripTrailingZeros().scale() <= 0)
                        && n.compareTo(BigDecimal.valueOf(min)) >= 0 && n.compareTo(BigDecimal.valueOf(max)) <= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(key, "must be " + (whole ? "an integer" : "a number of seconds") + " between " + min
                    + " and " + max);
        }

        /** {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m} or ISO-8601 ({@code PT2S}). */
        Duration duration(String key, Duration fallback) {
            String v = text(key);
            if (v == null) {
                return fallback;
            }
            Matcher m = SIMPLE_DURATION.matcher(v);
            try {
                Duration d;
                if (m.matches()) {
                    BigDecimal amount = new BigDecimal(m.group(1));
                    BigDecimal millis = switch (m.group(2)) {
                        case "ms" -> amount;
                        case "s" -> amount.movePointRight(3);
                        default -> amount.multiply(BigDecimal.valueOf(60_000));
                    };
                    d = Duration.ofMillis(millis.longValue());
                } else {
                    d = Duration.parse(v);
                }
                if (!d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // reported below
            }
            throw invalid(key, "must be a positive duration such as 250ms, 2s, 1m or PT2S");
        }

        /** Lambda's FunctionResponseTypes: only ReportBatchItemFailures exists. */
        boolean responseTypes(String key) {
            String v = text(key);
            if (v == null) {
                return false;
            }
            boolean report = false;
            for (String type : v.split(",")) {
                if (type.trim().equals("ReportBatchItemFailures")) {
                    report = true;
                } else if (!type.isBlank()) {
                    throw invalid(key, "the only response type is ReportBatchItemFailures");
                }
            }
            return report;
        }

        FilterCriteria filterCriteria(String key) {
            String v = text(key);
            if (v == null) {
                return FilterCriteria.none();
            }
            try {
                return FilterCriteria.parse(v);
            } catch (IllegalArgumentException e) {
                throw invalid(key, e.getMessage());
            }
        }

        void rejectUnknown() {
            Set<String> unknown = new TreeSet<>(values.keySet());
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(PREFIX + name + ": unknown setting(s) " + unknown + "; known: "
                        + new TreeSet<>(known));
            }
        }
    }
}
