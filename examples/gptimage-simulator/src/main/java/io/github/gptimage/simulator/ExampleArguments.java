package io.github.gptimage.simulator;

import java.util.Map;

/** The command-line argument the example applications share: {@code --name=value}, an application property. */
public final class ExampleArguments {

    private ExampleArguments() {
    }

    /** Puts {@code --name=value} into {@code properties} as name and value; false, and nothing put, for any other. */
    public static boolean putProperty(String argument, Map<String, String> properties) {
        int equals = argument.indexOf('=');
        if (!argument.startsWith("--") || equals < 0) {
            return false;
        }
        properties.put(argument.substring(2, equals), argument.substring(equals + 1));
        return true;
    }
}
