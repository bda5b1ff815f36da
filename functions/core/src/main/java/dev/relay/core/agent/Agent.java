package dev.relay.core.agent;

import dev.relay.core.event.Envelope;
import java.util.Set;

/**
 * An agent: reacts to events of the types it declares with a decision and follow-up events. It sees the
 * event and an {@link AgentContext} (the model), never queues, SDK clients or environment variables.
 */
public interface Agent {

    /** Stable name, used in the audit trail and logs, e.g. {@code deploy-verifier}. */
    String id();

    Set<String> eventTypes();

    /**
     * Every decision action this agent may take. The router refuses (and audits) any other: whatever a model is
     * talked into, an agent's outcomes stay within what its code declares.
     */
    Set<String> actions();

    /** Every follow-up event type this agent may emit; any other is refused and audited, as for {@link #actions()}. */
    Set<String> followUpTypes();

    Outcome handle(Envelope event, AgentContext context);
}
