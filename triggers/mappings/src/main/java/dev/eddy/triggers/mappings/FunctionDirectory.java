package dev.eddy.triggers.mappings;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a mapping's FunctionName calls. Eddy runs no function code of its own: a function is an
 * HTTP endpoint (a Funqy app, a Knative Service). A FunctionName is either such a URL itself, or a
 * name (plain, or in a Lambda function ARN) registered in configuration as
 * {@code eddy.functions.<name>.url}, with {@code eddy.functions.<name>.cloudevent-type} to call it
 * with a binary-mode CloudEvent of that type instead of plain JSON.
 *
 * <p>Registered by configuration, not by an API: Lambda's CreateFunction takes code to run, which
 * Eddy has no use for, while a deployment already names its services in configuration (a
 * ConfigMap both roles read), and a URL needs no registration at all.
 */
public final class FunctionDirectory {
    public static final String PREFIX = "eddy.functions.";
    /** Lambda's FunctionName forms: name, partial ARN (account:function:name) or full ARN, with an optional qualifier. */
    private static final Pattern FUNCTION_NAME = Pattern.compile(
            "(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:\\d{12}:)?(?:function:)?([a-zA-Z0-9_.-]+)(?::[a-zA-Z0-9$_.-]+)?");

    /** A function to call: where, and as which CloudEvent type (null for plain JSON). */
    public record Endpoint(URI url, String cloudEventType) {
    }

    private final Map<String, Endpoint> byName;

    public FunctionDirectory(Map<String, Endpoint> byName) {
        this.byName = Map.copyOf(byName);
    }

    /**
     * From {@code eddy.functions.<name>.<setting>} properties (other names are ignored); throws
     * IllegalArgumentException naming a setting that cannot be used.
     */
    public static FunctionDirectory fromProperties(Map<String, String> properties) {
        Map<String, String> urls = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String setting = dot < 0 ? "" : rest.substring(dot + 1);
            String name = dot < 0 ? rest : rest.substring(0, dot);
            switch (setting) {
                case "url" -> urls.put(name, value.trim());
                case "cloudevent-type" -> types.put(name, value.trim());
                default -> throw new IllegalArgumentException(key + ": a function takes url and cloudevent-type");
            }
        });
        Map<String, Endpoint> byName = new TreeMap<>();
        types.keySet().stream().filter(n -> !urls.containsKey(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException(PREFIX + n + ".url: required");
        });
        urls.forEach((name, url) -> {
            URI uri = url(url);
            if (uri == null) {
                throw new IllegalArgumentException(PREFIX + name + ".url: must be an http or https URL, got \"" + url + "\"");
            }
            byName.put(name, new Endpoint(uri, types.get(name)));
        });
        return new FunctionDirectory(byName);
    }

    /**
     * Functions as environment variables, as a pod sets them: {@code EDDY_FUNCTIONS_<NAME>_URL} and
     * {@code EDDY_FUNCTIONS_<NAME>_CLOUDEVENT_TYPE}, read as {@code eddy.functions.<name>.*} with the name
     * in lower case and '_' kept.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> properties = new TreeMap<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith("EDDY_FUNCTIONS_")) {
                return;
            }
            String rest = variable.substring("EDDY_FUNCTIONS_".length());
            for (String setting : new String[] {"cloudevent-type", "url"}) {
                String suffix = "_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
                if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                    properties.put(PREFIX + rest.substring(0, rest.length() - suffix.length()).toLowerCase(Locale.ROOT)
                            + "." + setting, value);
                    return;
                }
            }
        });
        return properties;
    }

    /** An http(s) URL, or null when the text is none. */
    public static URI url(String text) {
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
            return null;
        }
        try {
            URI uri = URI.create(text);
            return uri.getHost() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The function's name in a FunctionName that is no URL, or null when it is no Lambda function name at all. */
    public static String nameOf(String functionName) {
        Matcher m = FUNCTION_NAME.matcher(functionName);
        return m.matches() ? m.group(1) : null;
    }

    /** The registered function of this name, or null. */
    public Endpoint find(String name) {
        return byName.get(name);
    }

    /** Where a mapping's FunctionName (a URL or a registered name) is called; null when it is neither. */
    public Endpoint resolve(String functionName) {
        URI url = url(functionName);
        if (url != null) {
            return new Endpoint(url, null);
        }
        String name = nameOf(functionName);
        return name == null ? null : find(name);
    }
}
