package dev.relay.local.template;

import java.util.Optional;

/** A resolved stack output. */
public record Output(String logicalId, Object value, Optional<String> description, Optional<String> exportName) {
}
