package dev.relay.fulfillment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import java.util.Set;

/**
 * One step (or compensation) of the order saga as an agent: the state machine invokes it with a task whose type is
 * {@code saga.<step>}, so each run is audited and recorded once per order and step. It declares the actions it may
 * decide and the events it may emit, like every agent.
 */
public record SagaStep(String step, Set<String> actions, Set<String> followUpTypes, Action action) implements Agent {

    public static final String TYPE_PREFIX = "saga.";

    /** What the step does for an order; the task carries the state machine's input for it. */
    @FunctionalInterface
    public interface Action {
        Outcome run(Order order, Envelope task, AgentContext context);
    }

    @Override
    public String id() {
        return step.replace('_', '-');
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of(TYPE_PREFIX + step);
    }

    @Override
    public Outcome handle(Envelope task, AgentContext context) {
        if (!(task.data().get("order") instanceof ObjectNode order)) {
            throw new InvalidEventException("order", "required (the order.placed payload)");
        }
        return action.run(Order.from(order), task, context);
    }
}
