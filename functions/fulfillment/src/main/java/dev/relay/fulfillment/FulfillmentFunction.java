package dev.relay.fulfillment;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Environment;
import dev.relay.core.Json;
import dev.relay.core.agent.EventData;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.event.InvalidEventException;
import dev.relay.core.observe.EventLog;
import dev.relay.core.worker.AgentPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every task of the order-fulfilment state machine: the input names the {@code step} and carries the {@code order},
 * its {@code correlation_id} and {@code order_event_id}; the output is the step's decision details. A step that fails
 * throws {@link TransientStepFailure} or {@link PermanentStepFailure}, whose class names are the error names the state
 * machine's {@code Retry} and {@code Catch} match.
 */
public final class FulfillmentFunction implements RequestStreamHandler {

    public static final String SOURCE = "urn:relay:fulfillment";

    private final AgentPipeline pipeline;

    public FulfillmentFunction() {
        this(fromEnvironment(Environment.system()));
    }

    FulfillmentFunction(AgentPipeline pipeline) {
        this.pipeline = pipeline;
    }

    private static AgentPipeline fromEnvironment(Environment env) {
        DynamoDbFulfillment store = new DynamoDbFulfillment(AwsClients.build(DynamoDbClient.builder()),
                DynamoDbFulfillment.Tables.from(env), Clock.systemUTC());
        return AgentPipeline.fromEnvironment(OrderSaga.steps(store, store, store, store), SOURCE);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode read = Json.MAPPER.readTree(input);
        if (!(read instanceof ObjectNode payload)) {
            throw new InvalidEventException("$", "the task input must be a JSON object");
        }
        String step = EventData.requiredText(payload, "step");
        var task = OrderSaga.task(step, payload, EventData.requiredText(payload, "correlation_id"),
                EventData.requiredText(payload, "order_event_id"), SOURCE);
        try (EventLog log = EventLog.of(task)) {
            Json.MAPPER.writeValue(output, pipeline.decide(task).details());
        }
    }
}
