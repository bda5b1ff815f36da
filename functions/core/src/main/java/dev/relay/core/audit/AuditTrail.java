package dev.relay.core.audit;

import dev.relay.core.agent.Decision;
import dev.relay.core.agent.Routing;
import dev.relay.core.event.Envelope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The audit trail of agent decisions: written by the agent pipeline (one append per decision, with its completion),
 * read by auditors (an agent's history, an event's causal chain, a stream, replay to a point in time, verify).
 */
public final class AuditTrail {

    private final AuditTable table;
    private final Clock clock;

    public AuditTrail(AuditTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    public AuditTrail(AuditTable table) {
        this(table, Clock.systemUTC());
    }

    /** What was recorded for an event: its completion and the outcome that stood (the claim's fallback if it was taken). */
    public record Recorded(Completion completion, Routing.Handled handled) {}

    /**
     * Records a decision and that its agent finished the event, in one transaction; with the outcome's claim, if it
     * has one. When another event holds the claim, the fallback outcome is recorded instead.
     *
     * @throws AlreadyCompletedException when another delivery of the event was recorded first
     */
    public Recorded recordDecision(Routing.Handled handled, Instant receivedAt) {
        Instant now = clock.instant();
        Completion completion = new Completion(handled.agentId(), handled.event().id(), handled.event().correlationId(),
                0, 0, now);
        Routing.Handled standing = handled;
        List<AuditRecord> records;
        try {
            records = table.append(DecisionRecords.of(handled, receivedAt, now), Optional.of(completion),
                    handled.claim().map(Routing.Claimed::name));
        } catch (ClaimTakenException taken) {
            standing = handled.ifTaken();
            records = table.append(DecisionRecords.of(standing, receivedAt, now), Optional.of(completion));
        }
        return new Recorded(new Completion(completion.consumer(), completion.eventId(), completion.correlationId(),
                records.getFirst().seq(), records.getLast().seq(), now), standing);
    }

    /** Whether {@code consumer} already finished {@code eventId}, and when its follow-ups were published. */
    public Optional<Completion> completion(String consumer, String eventId) {
        return table.completion(consumer, eventId);
    }

    /** Notes that a completion's follow-ups are out (one conditional update on the idempotency table). */
    public void published(Completion completion) {
        table.markPublished(completion, clock.instant());
    }

    public List<Envelope> recordedFollowUps(Completion completion) {
        return DecisionRecords.emitted(records(completion));
    }

    /** The decision recorded with a completion, as the agent returned it. */
    public Decision recordedDecision(Completion completion) {
        return DecisionRecords.decision(records(completion));
    }

    private List<AuditRecord> records(Completion completion) {
        return table.stream(completion.correlationId(), completion.firstSeq(), completion.lastSeq());
    }

    /** An agent's records between {@code from} and {@code to}, oldest first, at most {@code limit}. */
    public List<AuditRecord> history(String agentId, Instant from, Instant to, int limit) {
        return table.byAgent(agentId, from, to, limit);
    }

    /** The records from the root cause to {@code eventId}, following {@code causation_id}; empty when unknown. */
    public List<AuditRecord> causalChain(String eventId) {
        List<AuditRecord> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String current = eventId;
        while (current != null && seen.add(current)) {
            List<AuditRecord> found = table.byEventId(current);
            if (found.isEmpty()) {
                break;
            }
            AuditRecord record = found.stream().min(Comparator.comparingLong(AuditRecord::seq)).orElseThrow();
            chain.add(record);
            current = record.causationId();
        }
        return chain.reversed();
    }

    /** Everything of one correlation id, in stream order. */
    public List<AuditRecord> stream(String correlationId) {
        return table.stream(correlationId);
    }

    /** The state as of {@code asOf} of one stream, or of every stream when {@code correlationId} is null. */
    public Replay replayTo(String correlationId, Instant asOf) {
        List<AuditRecord> records = (correlationId == null ? table.all() : table.stream(correlationId)).stream()
                .filter(r -> !r.timestamp().isAfter(asOf))
                .sorted(Comparator.comparing(AuditRecord::stream).thenComparingLong(AuditRecord::seq))
                .toList();
        Map<String, List<AuditRecord>> byAgent = new TreeMap<>();
        records.forEach(r -> byAgent.computeIfAbsent(r.agentId(), a -> new ArrayList<>()).add(r));
        Map<String, Replay.AgentState> agents = new LinkedHashMap<>();
        byAgent.forEach((agent, own) -> agents.put(agent, state(agent, own)));
        return new Replay(asOf, correlationId, records, agents);
    }

    public Verification verify(String correlationId) {
        return ChainVerifier.verify(correlationId, table.stream(correlationId));
    }

    /** Every stream of the table (a full scan), in stream order. */
    public List<Verification> verifyAll() {
        Map<String, List<AuditRecord>> streams = new TreeMap<>();
        table.all().forEach(r -> streams.computeIfAbsent(r.stream(), s -> new ArrayList<>()).add(r));
        return streams.entrySet().stream().map(e -> ChainVerifier.verify(e.getKey(), e.getValue())).toList();
    }

    private static Replay.AgentState state(String agent, List<AuditRecord> records) {
        int received = 0;
        int calls = 0;
        long tokens = 0;
        int emitted = 0;
        List<Replay.DecisionMade> decisions = new ArrayList<>();
        for (AuditRecord record : records.stream().sorted(Comparator.comparing(AuditRecord::timestamp)).toList()) {
            switch (record.kind()) {
                case RECEIVED -> received++;
                case LLM_CALL -> {
                    calls++;
                    tokens += record.entry().payload().path("usage").path("total_tokens").asLong();
                }
                case DECISION -> decisions.add(new Replay.DecisionMade(record.eventId(), record.eventType(),
                        record.entry().payload().path("action").asText(), record.timestamp(), record.stream()));
                case EMITTED -> emitted++;
            }
        }
        return new Replay.AgentState(agent, received, calls, tokens, emitted, List.copyOf(decisions));
    }
}
