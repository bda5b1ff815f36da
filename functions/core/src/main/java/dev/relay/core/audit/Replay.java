package dev.relay.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The trail's state as of {@code asOf}, rebuilt from the records with a timestamp at or before it: the records
 * themselves (in stream order) and, per agent, what it had received, decided and emitted by then.
 *
 * @param stream the correlation id replayed, or {@code null} for every stream
 */
public record Replay(Instant asOf, String stream, List<AuditRecord> records, Map<String, AgentState> agents) {

    /** One agent's state at {@code asOf}. */
    public record AgentState(String agentId, int eventsReceived, int llmCalls, long tokens, int followUpsEmitted,
            List<DecisionMade> decisions) {

        /** The latest decision, or null when it had decided nothing yet. */
        public DecisionMade lastDecision() {
            return decisions.isEmpty() ? null : decisions.getLast();
        }
    }

    /** A decision as recorded: on which event (the record it was caused by), what, and when. */
    public record DecisionMade(String eventId, String eventType, String action, Instant at, String stream) {}
}
