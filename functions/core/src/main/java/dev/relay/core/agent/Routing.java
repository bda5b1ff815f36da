package dev.relay.core.agent;

import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LlmCall;
import java.util.List;
import java.util.Set;

/** What happened to one event at the router. */
public sealed interface Routing {

    Envelope event();

    /** An agent took the event: its decision, the model calls it made, the follow-ups ready to publish. */
    record Handled(Envelope event, String agentId, Decision decision, List<LlmCall> llmCalls, List<Envelope> followUps)
            implements Routing {}

    /** No agent here handles this type; the event must not be retried (it would never succeed). */
    record Unrouted(Envelope event, Set<String> knownTypes) implements Routing {}
}
