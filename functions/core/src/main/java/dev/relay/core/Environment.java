package dev.relay.core;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Typed reads of a function's environment variables, each failure naming the variable. */
public record Environment(Map<String, String> variables) {

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigurationException(name + " is not set"));
    }

    public String get(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw new ConfigurationException(name + "=" + parsed + " is outside [" + min + ", " + max + "]");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + "='" + value.get() + "' is not an integer");
        }
    }

    public Duration seconds(String name, Duration fallback, int min, int max) {
        return optional(name).isEmpty() ? fallback : Duration.ofSeconds(integer(name, 0, min, max));
    }
}
