package dev.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.Timestamps;
import dev.relay.core.llm.Prompt;

/** How one audit record reads on one line ({@code tail}, {@code audit history}, {@code audit chain}). */
final class RecordLine {

    static final int DETAILS_LENGTH = 100;

    private RecordLine() {}

    /**
     * {@code 2026-11-21T10:15:30.123Z  deploy-verifier       decision  verified {"verdict":"pass"}  flow 7b3d… #3}.
     */
    static String of(AuditRecord record) {
        return String.format("%s  %-22s %-9s %s  flow %s #%d", Timestamps.format(record.timestamp()), record.agentId(),
                record.kind().wireName(), what(record), record.stream(), record.seq());
    }

    /** What the record says, by kind: the event and its id, the model call, the decision, the follow-up. */
    static String what(AuditRecord record) {
        ObjectNode payload = record.entry().payload();
        return switch (record.kind()) {
            case RECEIVED, EMITTED -> record.eventType() + " " + payload.path("id").asText(record.eventId());
            case LLM_CALL -> (record.eventType().equals(Prompt.DEFAULT_STEP) ? "" : record.eventType() + " ")
                    + modelCall(payload);
            case DECISION -> decision(record.eventType(), payload);
        };
    }

    /** {@code gpt-4o-mini (relay-offline/gpt-4o-mini) 412 ms 230 tokens}, plus the attempts when more than one. */
    static String modelCall(JsonNode call) {
        String requested = call.path("requested_model").asText();
        String answered = call.path("model").asText();
        int attempts = call.path("attempts").asInt(1);
        return requested + (answered.isEmpty() || answered.equals(requested) ? "" : " (" + answered + ")")
                + " " + call.path("latency_ms").asLong() + " ms " + call.path("usage").path("total_tokens").asLong()
                + " tokens" + (attempts > 1 ? " " + attempts + " attempts" : "");
    }

    static String decision(String eventType, JsonNode payload) {
        String action = payload.path("action").asText();
        String named = eventType.equals("decision." + action) ? "" : " (" + eventType + ")";
        JsonNode details = payload.get("details");
        return action + named + (details == null || details.isNull() ? "" : " " + abbreviated(Json.write(details)));
    }

    static String abbreviated(String text) {
        return text.length() <= DETAILS_LENGTH ? text : text.substring(0, DETAILS_LENGTH - 1) + "…";
    }
}
