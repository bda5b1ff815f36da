package dev.relay.core.agent;

import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LlmCall;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What happened to one event at the router. */
public sealed interface Routing {

    Envelope event();

    /**
     * An agent took the event: its decision, the model calls it made, the follow-ups ready to publish; and when the
     * outcome claims a name, the claim and what was decided for the case another event holds it.
     */
    record Handled(Envelope event, String agentId, Decision decision, List<LlmCall> llmCalls, List<Envelope> followUps,
            Optional<Claimed> claim) implements Routing {

        public Handled(Envelope event, String agentId, Decision decision, List<LlmCall> llmCalls, List<Envelope> followUps) {
            this(event, agentId, decision, llmCalls, followUps, Optional.empty());
        }

        /** The same event handled with the claim's fallback outcome (claiming nothing). */
        public Handled ifTaken() {
            return claim.orElseThrow().ifTaken();
        }
    }

    /** A claimed name and the fallback, already routed. */
    record Claimed(String name, Handled ifTaken) {}

    /** No agent here handles this type; the event must not be retried (it would never succeed). */
    record Unrouted(Envelope event, Set<String> knownTypes) implements Routing {}
}
