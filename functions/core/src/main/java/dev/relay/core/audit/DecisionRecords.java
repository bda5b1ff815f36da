package dev.relay.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.Routing;
import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LlmCall;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The audit entries of one agent decision, each caused by the one before: the event received (caused by the event
 * itself, so the chain continues into the record that emitted it), each model call, the decision, and every follow-up
 * emitted (caused by the decision). Ids of the first three kinds are derived from the agent and the event, so a retried
 * decision has the same ids; emitted records carry the follow-up's own event id.
 */
public final class DecisionRecords {

    private DecisionRecords() {}

    public static List<AuditEntry> of(Routing.Handled handled, Instant receivedAt, Instant decidedAt) {
        Envelope event = handled.event();
        String agent = handled.agentId();
        String stream = event.correlationId();
        List<AuditEntry> entries = new ArrayList<>();
        String received = derivedId(agent, event.id(), "received");
        entries.add(new AuditEntry(received, event.type(), RecordKind.RECEIVED, agent, receivedAt, event.toJsonNode(),
                event.id(), stream));
        String cause = received;
        int index = 0;
        for (LlmCall call : handled.llmCalls()) {
            String id = derivedId(agent, event.id(), "llm-" + (++index));
            entries.add(new AuditEntry(id, call.prompt().step(), RecordKind.LLM_CALL, agent, call.startedAt(),
                    llmPayload(call), cause, stream));
            cause = id;
        }
        String decision = derivedId(agent, event.id(), "decision");
        ObjectNode decided = Json.object().put("action", handled.decision().action());
        decided.set("details", handled.decision().details());
        entries.add(new AuditEntry(decision, handled.decision().eventType(), RecordKind.DECISION, agent, decidedAt,
                decided, cause, stream));
        for (Envelope followUp : handled.followUps()) {
            entries.add(new AuditEntry(followUp.id(), followUp.type(), RecordKind.EMITTED, agent, followUp.time(),
                    followUp.toJsonNode(), decision, stream));
        }
        return entries;
    }

    /** The follow-up events recorded for a decision, exactly as first published. */
    public static List<Envelope> emitted(List<AuditRecord> records) {
        return records.stream()
                .filter(r -> r.kind() == RecordKind.EMITTED)
                .map(r -> Envelope.parse(Json.write(r.entry().payload())))
                .toList();
    }

    /** The decision among a completion's records. */
    public static Decision decision(List<AuditRecord> records) {
        AuditRecord decision = records.stream().filter(r -> r.kind() == RecordKind.DECISION).findFirst()
                .orElseThrow(() -> new IllegalStateException("no decision among the records of a completion"));
        ObjectNode payload = decision.entry().payload();
        return new Decision(payload.path("action").asText(), payload.get("details"), decision.eventType());
    }

    static ObjectNode llmPayload(LlmCall call) {
        ObjectNode payload = Json.object();
        payload.put("requested_model", call.requestedModel());
        payload.put("model", call.model());
        payload.put("prompt_hash", call.promptHash());
        payload.putObject("prompt").put("system", call.prompt().system()).put("user", call.prompt().user());
        payload.put("schema", call.schema());
        payload.put("raw_output", call.rawOutput());
        payload.set("output", structured(call));
        payload.putObject("usage")
                .put("prompt_tokens", call.usage().promptTokens())
                .put("completion_tokens", call.usage().completionTokens())
                .put("total_tokens", call.usage().totalTokens());
        payload.put("latency_ms", call.latencyMs());
        payload.put("attempts", call.attempts());
        return payload;
    }

    /** The structured answer as JSON (what the agent decided from), or null for free text. */
    private static JsonNode structured(LlmCall call) {
        if (call.schema() == null || call.rawOutput() == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(call.rawOutput());
        } catch (Exception e) {
            return null;
        }
    }

    static String derivedId(String agent, String eventId, String fact) {
        return UUID.nameUUIDFromBytes((agent + "\n" + eventId + "\n" + fact).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
