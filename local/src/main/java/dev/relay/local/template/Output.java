package dev.relay.local.template;

import java.util.Optional;

/** A resolved stack output; {@code description} and {@code exportName} are null when the template gives none. */
public record Output(String logicalId, Object value, String description, String exportName) {

    public Optional<String> describedAs() {
        return Optional.ofNullable(description);
    }

    public Optional<String> exportedAs() {
        return Optional.ofNullable(exportName);
    }
}
