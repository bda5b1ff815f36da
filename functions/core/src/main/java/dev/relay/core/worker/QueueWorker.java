package dev.relay.core.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.core.NonRetryable;
import dev.relay.core.agent.Agent;
import dev.relay.core.event.Delivery;
import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LlmException;
import dev.relay.core.observe.EventLog;
import dev.relay.core.observe.EventMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one SQS batch: each message is decoded and handed to the {@link EventProcessor}. A message that fails is
 * reported alone in {@code batchItemFailures}, so SQS redelivers only it (the event source mapping needs
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]}); {@link Redelivery} decides when it comes back, or sends
 * it to the dead-letter queue at once when no retry can cure it ({@link #isPermanent(Throwable)}).
 */
public final class QueueWorker {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);

    private final EventProcessor processor;
    private final Redelivery redelivery;
    private final EventMetrics metrics;

    public QueueWorker(EventProcessor processor, Redelivery redelivery, EventMetrics metrics) {
        this.processor = processor;
        this.redelivery = redelivery;
        this.metrics = metrics;
    }

    /**
     * The worker a Lambda function builds once per execution environment: the agents behind
     * {@link AgentPipeline#fromEnvironment}, failures retried with backoff or dead-lettered at once by
     * {@link SqsRedelivery}.
     */
    public static QueueWorker fromEnvironment(List<? extends Agent> agents, String source) {
        return new QueueWorker(AgentPipeline.fromEnvironment(agents, source), SqsRedelivery.fromEnvironment(),
                new EventMetrics());
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

    /** Whether the message is done with (handled, or moved to the DLQ); {@code false} reports it failed. */
    private boolean handle(SQSEvent.SQSMessage message) {
        long start = System.nanoTime();
        try (EventLog unparsed = EventLog.of(attribute(message, "correlationid"), message.getMessageId(),
                attribute(message, "type"))) {
            Envelope event;
            try {
                event = Delivery.envelope(message.getBody());
            } catch (RuntimeException e) {
                LOG.error("message {} is not a valid event: {}", message.getMessageId(), e.getMessage());
                return failed(message, e);
            }
            try (EventLog parsed = EventLog.of(event)) {
                processor.process(event);
                metrics.handled((System.nanoTime() - start) / 1_000_000);
                return true;
            } catch (RuntimeException e) {
                if (isPermanent(e)) {
                    LOG.error("handling failed: {}", e.toString());
                } else {
                    LOG.error("handling failed: {}", e.toString(), e);
                }
                return failed(message, e);
            }
        }
    }

    /** A permanent failure that cannot go to the dead-letter queue now is retried like any other: nothing is lost. */
    private boolean failed(SQSEvent.SQSMessage message, RuntimeException cause) {
        metrics.failed();
        if (isPermanent(cause) && redelivery.deadLetterNow(message, cause)) {
            metrics.deadLettered();
            return true;
        }
        redelivery.retryLater(message, cause);
        return false;
    }

    /**
     * The one rule for failures no retry can cure: a {@link NonRetryable} one, or a model call the gateway gave up on
     * as {@linkplain LlmException#retryable() not retryable}. Causes count too, so wrapping does not hide the verdict.
     */
    public static boolean isPermanent(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof NonRetryable || (t instanceof LlmException llm && !llm.retryable())) {
                return true;
            }
        }
        return false;
    }

    private static String attribute(SQSEvent.SQSMessage message, String name) {
        Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
        SQSEvent.MessageAttribute value = attributes == null ? null : attributes.get(name);
        return value == null ? null : value.getStringValue();
    }
}
