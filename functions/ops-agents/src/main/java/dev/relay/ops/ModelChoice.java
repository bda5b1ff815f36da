package dev.relay.ops;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads the model's pick for an enum field by name only. Jackson would otherwise take a number as the
 * enum's ordinal, so a model answering {@code "severity": 1} would silently get {@code SEV2}.
 */
final class ModelChoice {

    private ModelChoice() {}

    /** The constant named {@code value} (case-insensitive), or an error naming the field and the allowed values. */
    static <E extends Enum<E>> E named(Class<E> type, String field, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value == null ? null : value.trim().toUpperCase(Locale.ROOT))) {
                return constant;
            }
        }
        throw new IllegalArgumentException(field + ": '" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** A field the agent's decision depends on: missing is an error naming it, never a default. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": required in the model's answer");
        }
        return value;
    }
}
