package dev.relay.core.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.core.Environment;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.Router;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.aws.AwsSecretStore;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.agent.Routing;
import dev.relay.core.event.Delivery;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;
import dev.relay.core.event.InvalidEventException;
import dev.relay.core.observe.EventLog;
import dev.relay.core.observe.EventMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Handles one SQS batch: each message is decoded, routed to its agent and its follow-ups published. A
 * message that fails is reported alone in {@code batchItemFailures}, so SQS redelivers only it (the
 * event source mapping needs {@code FunctionResponseTypes: [ReportBatchItemFailures]}).
 */
public final class QueueWorker {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);

    private final Router router;
    private final EventPublisher publisher;
    private final EventMetrics metrics;

    public QueueWorker(Router router, EventPublisher publisher, EventMetrics metrics) {
        this.router = router;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * The worker a Lambda function builds once per execution environment: the model from
     * {@link LlmSettings}, follow-ups to the topic in {@code EVENTS_TOPIC_ARN}.
     */
    public static QueueWorker fromEnvironment(List<? extends Agent> agents, String source) {
        Environment env = Environment.system();
        LlmGateway model = new LlmGateway(LlmSettings.from(env, new AwsSecretStore()));
        EventPublisher topic = new SnsEventPublisher(AwsClients.build(SnsClient.builder()), env.required("EVENTS_TOPIC_ARN"));
        return new QueueWorker(new Router(agents, model, source), topic, new EventMetrics());
    }

    public SQSBatchResponse process(SQSEvent batch) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            if (!handle(message)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        metrics.flush();
        return new SQSBatchResponse(failures);
    }

    private boolean handle(SQSEvent.SQSMessage message) {
        long start = System.nanoTime();
        try (EventLog unparsed = EventLog.of(attribute(message, "correlationid"), message.getMessageId(),
                attribute(message, "type"))) {
            Envelope event;
            try {
                event = Delivery.envelope(message.getBody());
            } catch (InvalidEventException e) {
                LOG.error("message {} is not a valid event: {}", message.getMessageId(), e.getMessage());
                metrics.failed();
                return false;
            }
            try (EventLog parsed = EventLog.of(event)) {
                return route(event, start);
            }
        }
    }

    private boolean route(Envelope event, long start) {
        try {
            return switch (router.route(event)) {
                case Routing.Handled handled -> {
                    publisher.publish(handled.followUps());
                    metrics.handled((System.nanoTime() - start) / 1_000_000);
                    yield true;
                }
                case Routing.Unrouted unrouted -> {
                    LOG.error("no agent here handles {}; this function handles {}", event.type(), unrouted.knownTypes());
                    metrics.unrouted();
                    yield false;
                }
            };
        } catch (RuntimeException e) {
            LOG.error("handling failed: {}", e.toString(), e);
            metrics.failed();
            return false;
        }
    }

    private static String attribute(SQSEvent.SQSMessage message, String name) {
        Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
        SQSEvent.MessageAttribute value = attributes == null ? null : attributes.get(name);
        return value == null ? null : value.getStringValue();
    }
}
