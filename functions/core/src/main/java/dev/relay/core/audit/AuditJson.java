package dev.relay.core.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import java.util.List;

/** How audit records, verifications and replays are shown to auditors (the audit API, the CLI): snake_case JSON. */
public final class AuditJson {

    private AuditJson() {}

    /** The record's content (what its checksum covers) plus its place in the chain. */
    public static ObjectNode record(AuditRecord record) {
        ObjectNode node = Json.object();
        node.put("stream", record.stream());
        node.put("seq", record.seq());
        node.setAll(HashChain.content(record.entry()));
        node.put("checksum", record.checksum());
        node.put("prev_hash", record.previousHash());
        node.put("hash", record.hash());
        return node;
    }

    public static ArrayNode records(List<AuditRecord> records) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        records.forEach(r -> array.add(record(r)));
        return array;
    }

    public static ObjectNode verification(Verification verification) {
        ObjectNode node = Json.object();
        node.put("stream", verification.stream());
        node.put("intact", verification.intact());
        node.put("records", verification.records());
        node.put("head_hash", verification.headHash());
        ArrayNode findings = node.putArray("findings");
        for (Verification.Finding finding : verification.findings()) {
            findings.addObject()
                    .put("seq", finding.seq())
                    .put("event_id", finding.eventId())
                    .put("problem", finding.problem().name().toLowerCase(java.util.Locale.ROOT))
                    .put("detail", finding.detail());
        }
        return node;
    }

    public static ObjectNode verifications(List<Verification> verifications) {
        ObjectNode node = Json.object();
        node.put("intact", verifications.stream().allMatch(Verification::intact));
        node.put("streams", verifications.size());
        ArrayNode all = node.putArray("results");
        verifications.forEach(v -> all.add(verification(v)));
        return node;
    }

    public static ObjectNode replay(Replay replay) {
        ObjectNode node = Json.object();
        node.put("as_of", Timestamps.format(replay.asOf()));
        node.put("stream", replay.stream());
        ObjectNode agents = node.putObject("agents");
        replay.agents().forEach((id, state) -> {
            ObjectNode agent = agents.putObject(id);
            agent.put("events_received", state.eventsReceived());
            agent.put("llm_calls", state.llmCalls());
            agent.put("tokens", state.tokens());
            agent.put("follow_ups_emitted", state.followUpsEmitted());
            ArrayNode decisions = agent.putArray("decisions");
            for (Replay.DecisionMade decision : state.decisions()) {
                decisions.addObject()
                        .put("event_id", decision.eventId())
                        .put("event_type", decision.eventType())
                        .put("action", decision.action())
                        .put("at", Timestamps.format(decision.at()))
                        .put("stream", decision.stream());
            }
        });
        node.set("records", records(replay.records()));
        return node;
    }
}
