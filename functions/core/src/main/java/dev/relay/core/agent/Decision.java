package dev.relay.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import java.util.Objects;

/**
 * What an agent decided about an event: a short verb-like {@code action} ({@code verified},
 * {@code triaged}, {@code rejected}), the structured details behind it (often the model's typed answer), and the
 * {@code eventType} the decision is recorded under in the audit trail ({@code decision.<action>} unless named, e.g.
 * {@code application.approved}).
 */
public record Decision(String action, JsonNode details, String eventType) {

    public Decision {
        Objects.requireNonNull(action, "action");
        details = details == null ? Json.object() : details;
        eventType = eventType == null || eventType.isBlank() ? "decision." + action : eventType;
    }

    public static Decision of(String action, Object details) {
        return new Decision(action, Json.tree(details), null);
    }

    /** A decision recorded in the audit trail as {@code eventType}. */
    public static Decision of(String eventType, String action, Object details) {
        return new Decision(action, Json.tree(details), eventType);
    }
}
