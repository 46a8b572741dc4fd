package io.github.gptimage.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name=value} arguments. */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();

    static Args parse(String... args) {
        Args parsed = new Args();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Arguments are --name=value, not " + arg);
            }
            int eq = arg.indexOf('=');
            parsed.values.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        return parsed;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int intValue(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
