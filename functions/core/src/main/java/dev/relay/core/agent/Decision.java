package dev.relay.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import java.util.Objects;

/**
 * What an agent decided about an event: a short verb-like {@code action} ({@code verified},
 * {@code triaged}, {@code rejected}) and the structured details behind it (often the model's typed answer).
 */
public record Decision(String action, JsonNode details) {

    public Decision {
        Objects.requireNonNull(action, "action");
        details = details == null ? Json.object() : details;
    }

    public static Decision of(String action, Object details) {
        return new Decision(action, Json.tree(details));
    }
}
