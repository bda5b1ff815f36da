package dev.relay.local.esm;

import dev.relay.local.lambda.FunctionInvoker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The local cloud's event source mappings: created from the template, started together, observed by the CLI and
 * closed together. Closing stops every poller at once (an interrupted long poll, not a 20-second wait) and then
 * gives in-flight invocations one shared bound to finish and delete their messages.
 */
public final class EventSourceMappings implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(EventSourceMappings.class);

    private final SqsClient sqs;
    private final FunctionInvoker invoker;
    private final QueueSignals signals;
    private final List<SqsEventSourceMapping> mappings = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    /**
     * @param sqs     a client of the local SQS endpoint; it must stay open until {@link #close()} returns
     * @param invoker how functions are invoked
     */
    public EventSourceMappings(SqsClient sqs, FunctionInvoker invoker) {
        this(sqs, invoker, null);
    }

    /**
     * @param signals told of every send to the queues (see {@link QueueSignals}), or null
     */
    public EventSourceMappings(SqsClient sqs, FunctionInvoker invoker, QueueSignals signals) {
        this.sqs = sqs;
        this.invoker = invoker;
        this.signals = signals;
    }

    /**
     * Adds a mapping, finding its queue's URL from the ARN as Lambda does; started at once if {@link #start()} ran.
     *
     * @throws InvalidMappingException naming {@code EventSourceArn} when the queue does not exist
     */
    public SqsEventSourceMapping add(SqsEventSourceConfig config) {
        String queueUrl;
        try {
            queueUrl = sqs.getQueueUrl(request -> request
                    .queueName(config.queue().queueName())
                    .queueOwnerAWSAccountId(config.queue().accountId())).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new InvalidMappingException("EventSourceArn", "queue " + config.queue() + " does not exist");
        }
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(config, queueUrl, sqs, invoker, signals);
        mappings.add(mapping);
        if (started) {
            mapping.start();
        }
        return mapping;
    }

    public List<SqsEventSourceMapping> mappings() {
        return List.copyOf(mappings);
    }

    public synchronized void start() {
        started = true;
        for (SqsEventSourceMapping mapping : mappings) {
            if (mapping.stats().state() == SqsEventSourceMapping.State.CREATED) {
                mapping.start();
            }
        }
    }

    /** One line per mapping, in the order they were added. */
    public List<MappingStats> stats() {
        return mappings.stream().map(SqsEventSourceMapping::stats).toList();
    }

    /** Closes with {@link SqsEventSourceMapping#DEFAULT_DRAIN} for in-flight invocations. */
    @Override
    public void close() {
        close(SqsEventSourceMapping.DEFAULT_DRAIN);
    }

    /**
     * Stops all pollers, then waits up to {@code drain} (in total, not per mapping) for in-flight invocations.
     *
     * @return whether everything stopped within {@code drain}
     */
    public boolean close(Duration drain) {
        Instant deadline = Instant.now().plus(drain);
        mappings.forEach(SqsEventSourceMapping::stopPolling);
        List<SqsEventSourceMapping> unfinished = new ArrayList<>();
        for (SqsEventSourceMapping mapping : mappings) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!mapping.awaitTermination(left.isNegative() ? Duration.ZERO : left)) {
                unfinished.add(mapping);
            }
        }
        if (!unfinished.isEmpty()) {
            LOG.warn("Event source mappings still invoking after {}: {}", drain,
                    unfinished.stream().map(m -> m.config().describe()).toList());
        }
        return unfinished.isEmpty();
    }
}
