package dev.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.ChainVerifier;
import dev.relay.core.audit.RecordKind;
import dev.relay.core.audit.Timestamps;
import dev.relay.core.audit.Verification;
import dev.relay.fulfillment.SagaStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The story of one flow (correlation id), rebuilt from its audit records and its saga executions: each event, the
 * agents that received it and what each did about it (model calls, the decision, the follow-ups it emitted, which are
 * events in turn), and the saga execution an {@code order.placed} started. Events nobody in the flow emitted hang
 * under the event that caused them (a saga's step tasks under the order), or are roots.
 */
final class FlowTrace {

    /** An event of the flow: who handled it, what it caused outside any handling, the sagas it started. */
    static final class Event {
        final String id;
        String type;
        String source;
        Instant time;
        final List<Handling> handledBy = new ArrayList<>();
        final List<Event> caused = new ArrayList<>();
        final List<SagaRun> sagas = new ArrayList<>();
        String causationId;
        boolean emitted;

        Event(String id) {
            this.id = id;
        }
    }

    /** One agent's handling of one event: the received record, its model calls, its decision, its follow-ups. */
    static final class Handling {
        final AuditRecord received;
        final List<AuditRecord> modelCalls = new ArrayList<>();
        AuditRecord decision;
        final List<Event> emitted = new ArrayList<>();

        Handling(AuditRecord received) {
            this.received = received;
        }
    }

    private final String correlationId;
    private final List<AuditRecord> records;
    private final Verification verification;
    private final List<Event> roots;
    private final Map<String, Event> events;
    private final List<SagaRun> unattachedSagas = new ArrayList<>();

    private FlowTrace(String correlationId, List<AuditRecord> records, List<Event> roots, Map<String, Event> events) {
        this.correlationId = correlationId;
        this.records = records;
        this.verification = ChainVerifier.verify(correlationId, records);
        this.roots = roots;
        this.events = events;
    }

    static FlowTrace of(String correlationId, List<AuditRecord> stored) {
        List<AuditRecord> records = stored.stream().sorted(Comparator.comparingLong(AuditRecord::seq)).toList();
        Map<String, AuditRecord> byId = new HashMap<>();
        records.forEach(r -> byId.putIfAbsent(r.eventId(), r));
        Map<String, Event> events = new LinkedHashMap<>();
        Map<String, Handling> handlings = new HashMap<>();
        for (AuditRecord record : records) {
            if (record.kind() == RecordKind.RECEIVED) {
                Handling handling = new Handling(record);
                handlings.put(record.eventId(), handling);
                event(events, record).handledBy.add(handling);
            }
        }
        for (AuditRecord record : records) {
            if (record.kind() == RecordKind.RECEIVED) {
                continue;
            }
            Handling handling = handlingOf(record, byId, handlings);
            if (handling == null) {
                continue; // its received record is missing: audit verify reports why
            }
            switch (record.kind()) {
                case LLM_CALL -> handling.modelCalls.add(record);
                case DECISION -> handling.decision = record;
                case EMITTED -> {
                    Event followUp = event(events, record);
                    followUp.emitted = true;
                    handling.emitted.add(followUp);
                }
                default -> { }
            }
        }
        List<Event> roots = new ArrayList<>();
        Map<String, Event> unrecorded = new LinkedHashMap<>();
        for (Event event : events.values()) {
            if (event.emitted) {
                continue;
            }
            String causeId = event.causationId;
            if (causeId == null || causeId.equals(event.id)) {
                roots.add(event);
            } else if (events.containsKey(causeId)) {
                events.get(causeId).caused.add(event);
            } else {
                // e.g. a saga started with relay saga start: its steps' cause, the order, reached no agent
                Event cause = unrecorded.computeIfAbsent(causeId, Event::new);
                if (cause.caused.isEmpty()) {
                    roots.add(cause);
                }
                cause.caused.add(event);
            }
        }
        events.putAll(unrecorded);
        return new FlowTrace(correlationId, records, roots, events);
    }

    /** The event a received or emitted record carries (its payload is the whole event). */
    private static Event event(Map<String, Event> events, AuditRecord record) {
        JsonNode payload = record.entry().payload();
        String id = record.kind() == RecordKind.RECEIVED ? record.causationId() : record.eventId();
        Event event = events.computeIfAbsent(id, Event::new);
        if (event.type == null) {
            event.type = payload.path("type").asText(record.eventType());
            event.source = payload.path("source").asText(null);
            event.time = payload.hasNonNull("time") ? Timestamps.parse("time", payload.get("time").asText())
                    : record.timestamp();
            event.causationId = payload.path("causationid").asText(null);
        }
        return event;
    }

    /** Walks a record's causes back to the received record that starts its decision. */
    private static Handling handlingOf(AuditRecord record, Map<String, AuditRecord> byId,
            Map<String, Handling> handlings) {
        Set<String> seen = new HashSet<>();
        AuditRecord current = record;
        while (current != null && seen.add(current.eventId())) {
            if (current.kind() == RecordKind.RECEIVED) {
                return handlings.get(current.eventId());
            }
            current = current.causationId() == null ? null : byId.get(current.causationId());
        }
        return null;
    }

    String correlationId() {
        return correlationId;
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /**
     * The saga executions of this flow: recorded in a decision's {@code execution_arn} (the saga starter's), or named
     * by an order.placed event id (as the saga starter names them), which a saga step's task gives as its cause.
     */
    Set<String> sagaExecutionArns(String stateMachineArn) {
        Set<String> arns = new LinkedHashSet<>();
        for (AuditRecord record : records) {
            JsonNode arn = record.entry().payload().path("details").path("execution_arn");
            if (record.kind() == RecordKind.DECISION && arn.isTextual()) {
                arns.add(arn.asText());
            }
        }
        for (Event event : events.values()) {
            if ("order.placed".equals(event.type)) {
                arns.add(SagaRun.executionArn(stateMachineArn, event.id));
            }
            if (event.type != null && event.type.startsWith(SagaStep.TYPE_PREFIX) && event.causationId != null) {
                arns.add(SagaRun.executionArn(stateMachineArn, event.causationId));
            }
        }
        return arns;
    }

    /** Hangs a saga execution under the event that started it (its name), or at the end of the trace. */
    void attach(SagaRun saga) {
        Event started = events.get(saga.name());
        if (started != null) {
            started.sagas.add(saga);
        } else {
            unattachedSagas.add(saga);
        }
    }

    List<Tree> trees() {
        List<Tree> trees = new ArrayList<>();
        Tree header = new Tree(String.format("flow %s: %d audit record(s)%s, hash chain %s", correlationId,
                records.size(), records.isEmpty() ? "" : " from " + Timestamps.format(records.getFirst().timestamp())
                        + " to " + Timestamps.format(records.getLast().timestamp()),
                verification.intact() ? "intact" : "NOT intact (relay audit verify --stream " + correlationId + ")"));
        trees.add(header);
        roots.forEach(root -> trees.add(tree(root, "")));
        unattachedSagas.forEach(saga -> trees.add(saga.tree()));
        return trees;
    }

    private static Tree tree(Event event, String prefix) {
        Tree node = new Tree(event.type == null ? "event " + event.id + "  (no agent recorded it)"
                : prefix + event.type + "  " + event.id + (event.source == null ? "" : "  from " + event.source)
                        + (event.time == null ? "" : "  at " + Timestamps.format(event.time)));
        for (Handling handling : event.handledBy) {
            Tree agent = node.add(handling.received.agentId() + "  received at "
                    + Timestamps.format(handling.received.timestamp()));
            for (AuditRecord call : handling.modelCalls) {
                agent.add("model call  " + RecordLine.what(call));
            }
            if (handling.decision != null) {
                agent.add("decision  " + RecordLine.decision(handling.decision.eventType(),
                        handling.decision.entry().payload()));
            }
            handling.emitted.forEach(followUp -> agent.add(tree(followUp, "emitted ")));
        }
        event.caused.forEach(caused -> node.add(tree(caused, "caused ")));
        event.sagas.forEach(saga -> node.add(saga.tree()));
        return node;
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object().put("correlation_id", correlationId).put("records", records.size())
                .put("intact", verification.intact());
        ArrayNode roots = node.putArray("events");
        this.roots.forEach(root -> roots.add(json(root)));
        ArrayNode sagas = node.putArray("sagas");
        unattachedSagas.forEach(saga -> sagas.add(saga.toJson()));
        return node;
    }

    private static ObjectNode json(Event event) {
        ObjectNode node = Json.object().put("event_id", event.id).put("type", event.type).put("source", event.source)
                .put("time", event.time == null ? null : Timestamps.format(event.time));
        ArrayNode handledBy = node.putArray("handled_by");
        for (Handling handling : event.handledBy) {
            ObjectNode agent = handledBy.addObject().put("agent", handling.received.agentId())
                    .put("received_at", Timestamps.format(handling.received.timestamp()));
            ArrayNode calls = agent.putArray("model_calls");
            for (AuditRecord call : handling.modelCalls) {
                JsonNode payload = call.entry().payload();
                ObjectNode json = calls.addObject().put("step", call.eventType())
                        .put("requested_model", payload.path("requested_model").asText(null))
                        .put("model", payload.path("model").asText(null))
                        .put("latency_ms", payload.path("latency_ms").asLong())
                        .put("attempts", payload.path("attempts").asInt())
                        .put("at", Timestamps.format(call.timestamp()));
                json.set("tokens", payload.get("usage"));
            }
            if (handling.decision != null) {
                ObjectNode decision = agent.putObject("decision")
                        .put("type", handling.decision.eventType())
                        .put("action", handling.decision.entry().payload().path("action").asText())
                        .put("at", Timestamps.format(handling.decision.timestamp()));
                decision.set("details", handling.decision.entry().payload().get("details"));
            }
            ArrayNode emitted = agent.putArray("emitted");
            handling.emitted.forEach(followUp -> emitted.add(json(followUp)));
        }
        ArrayNode caused = node.putArray("caused");
        event.caused.forEach(c -> caused.add(json(c)));
        ArrayNode sagas = node.putArray("sagas");
        event.sagas.forEach(saga -> sagas.add(saga.toJson()));
        return node;
    }
}
