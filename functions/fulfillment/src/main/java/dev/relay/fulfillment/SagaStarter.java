package dev.relay.fulfillment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Starts the saga for an {@code order.placed}: one execution named by the event id, so a redelivered event cannot
 * start a second saga (Step Functions refuses or returns the same execution for a name it has seen).
 */
public final class SagaStarter implements Agent {

    /** Step Functions' execution names: 1 to 80 of these characters. */
    private static final Pattern EXECUTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    /** Starts executions of the order saga. */
    public interface Executions {
        /** Starts (or finds, for a name already used) the execution; returns its ARN. */
        String start(String name, ObjectNode input);
    }

    private final Executions executions;
    private final Duration approvalTimeout;

    /** @param approvalTimeout how long a person has to approve an order the risk review sends them */
    public SagaStarter(Executions executions, Duration approvalTimeout) {
        this.executions = executions;
        this.approvalTimeout = approvalTimeout;
    }

    @Override
    public String id() {
        return "saga-starter";
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("order.placed");
    }

    @Override
    public Set<String> actions() {
        return Set.of("saga_started");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of();
    }

    @Override
    public Outcome handle(Envelope event, AgentContext context) {
        Order order = Order.from(event.data());
        if (!EXECUTION_NAME.matcher(event.id()).matches()) {
            throw new InvalidEventException("id", "'" + event.id() + "' cannot name a saga execution (1 to 80 letters, "
                    + "digits, '-' or '_')");
        }
        ObjectNode input = Json.object().put("correlation_id", event.correlationId()).put("order_event_id", event.id())
                .put("approval_timeout_seconds", approvalTimeout.toSeconds());
        input.set("order", event.data());
        String execution = executions.start(event.id(), input);
        return Outcome.of(Decision.of("saga_started", Json.object().put("order_id", order.orderId())
                .put("execution_arn", execution)));
    }
}
