package dev.relay.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.event.Envelope;

/** The answer to an accepted event: {@code {"event_id", "status": "accepted", "correlation_id"}}. */
record Receipt(String eventId, String correlationId) {

    static Receipt of(Envelope event) {
        return new Receipt(event.id(), event.correlationId());
    }

    static Receipt fromJson(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return new Receipt(node.path("event_id").asText(), node.path("correlation_id").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored receipt is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    ObjectNode toJson() {
        return Json.object().put("event_id", eventId).put("status", "accepted").put("correlation_id", correlationId);
    }
}
