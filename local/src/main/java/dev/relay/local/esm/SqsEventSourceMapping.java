package dev.relay.local.esm;

import dev.relay.local.lambda.FunctionInvoker;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.lambda.UnknownFunctionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One SQS → Lambda event source mapping, behaving as Lambda's poller does.
 *
 * <p>A single poller thread polls the queue, but only while a concurrency slot is free
 * ({@code ScalingConfig.MaximumConcurrency}), so it never holds messages it cannot invoke with. It gathers up to
 * {@code BatchSize} messages (10 per receive) until the batching window closes (a window of 0 invokes with what one
 * receive returned) or the event would pass Lambda's 6 MB payload limit, then hands the batch to a virtual thread
 * that invokes the function and deletes what Lambda would delete:
 * <ul>
 *   <li>success: the whole batch (with {@code ReportBatchItemFailures}: all but the reported items);</li>
 *   <li>function error, malformed batch response, invoker failure: nothing. The messages come back after the
 *       queue's visibility timeout and the queue's redrive policy moves them to the DLQ after
 *       {@code maxReceiveCount}, as on AWS; the mapping never changes visibility or moves messages itself.</li>
 * </ul>
 * FIFO queues keep one batch per message group in flight (see {@link MessageGroups}).
 *
 * <p>The {@link SqsClient} belongs to the caller and must outlive {@link #close()}.
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    public enum State { CREATED, DISABLED, RUNNING, CLOSED }

    private static final Logger LOG = LogManager.getLogger(SqsEventSourceMapping.class);

    static final int MAX_MESSAGES_PER_RECEIVE = 10;
    /**
     * Lambda long-polls for 20 s. Locally each receive waits at most 1 s, so that {@link #close()} can let the poll
     * finish instead of aborting it: ElasticMQ keeps serving a long poll whose client has gone, and hands the next
     * message to nobody (it then stays invisible for the whole visibility timeout); its shutdown also waits for
     * such orphaned polls.
     */
    static final int POLL_WAIT_SECONDS = 1;
    /** Lambda's limit for a synchronous invocation's payload. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** {@code {"Records":[]}}: what an event weighs without its records. */
    private static final int EVENT_OVERHEAD_BYTES = 14;
    /**
     * Between short polls in the last second of a batching window (WaitTimeSeconds counts whole seconds), when no
     * {@link QueueSignals} tell the poller of sends.
     */
    private static final Duration SHORT_POLL_PAUSE = Duration.ofMillis(100);
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

    private final SqsEventSourceConfig config;
    private final String queueUrl;
    private final SqsClient sqs;
    private final FunctionInvoker invoker;
    /** Tells of sends to the queue, or null: then the poller short-polls in the window's last second. */
    private final QueueSignals signals;
    private final String queueName;
    private final SqsEventBuilder events;
    private final Semaphore slots;
    private final MessageGroups groups = new MessageGroups();
    /** Pauses polling while SQS fails. */
    private final PollerBackoff receiveBackoff = new PollerBackoff(Duration.ofMillis(500), Duration.ofSeconds(10));
    /** Pauses polling while the function cannot be invoked at all (unknown function, invoker failure). */
    private final PollerBackoff invokeBackoff = new PollerBackoff(Duration.ofMillis(500), Duration.ofSeconds(10));
    private final ExecutorService invocations;
    /** Received but not yet invoked (the event was full); read and written by the poller thread only. */
    private final Deque<Message> carriedOver = new ArrayDeque<>();

    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder batchesInvoked = new LongAdder();
    private final LongAdder batchesFailed = new LongAdder();
    private final LongAdder messagesDeleted = new LongAdder();
    private final LongAdder messagesFailed = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder receiveRequests = new LongAdder();
    private final LongAdder emptyReceiveRequests = new LongAdder();
    private final LongAdder deleteRequests = new LongAdder();

    private volatile State state = State.CREATED;
    private volatile Thread poller;
    /** Guards {@link #receiving} against {@link #stopPolling()}: a receive in progress is never interrupted. */
    private final Object receiveLock = new Object();
    private boolean receiving;

    /**
     * @param queueUrl the URL of {@code config.queue()} on the endpoint {@code sqs} talks to
     */
    public SqsEventSourceMapping(SqsEventSourceConfig config, String queueUrl, SqsClient sqs, FunctionInvoker invoker) {
        this(config, queueUrl, sqs, invoker, null);
    }

    /**
     * @param signals told of every send to the queue (the local cloud's SNS and edge report them), so that the
     *                poller receives at once when a message arrives during a batching window; null if nothing is
     */
    public SqsEventSourceMapping(SqsEventSourceConfig config, String queueUrl, SqsClient sqs, FunctionInvoker invoker,
                                 QueueSignals signals) {
        this.config = config;
        this.queueUrl = queueUrl;
        this.sqs = sqs;
        this.invoker = invoker;
        this.signals = signals;
        this.queueName = config.queue().queueName();
        this.events = new SqsEventBuilder(config.queue());
        this.slots = new Semaphore(config.maximumConcurrency());
        this.invocations = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("esm-" + config.functionName() + "-invoke-", 0).factory());
    }

    public SqsEventSourceConfig config() {
        return config;
    }

    /** Starts polling, unless the mapping is disabled ({@code Enabled: false}). */
    public synchronized void start() {
        if (state != State.CREATED) {
            throw new IllegalStateException("mapping " + config.describe() + " is already " + state);
        }
        if (!config.enabled()) {
            state = State.DISABLED;
            LOG.info("Event source mapping {} is disabled: not polling {}", config.describe(), queueUrl);
            return;
        }
        state = State.RUNNING;
        poller = Thread.ofVirtual().name("esm-" + config.functionName() + "-poller").start(this::poll);
        LOG.info("Event source mapping {} polling {} (batch size {}, window {} s, concurrency {}{})",
                config.describe(), queueUrl, config.batchSize(), config.maximumBatchingWindowInSeconds(),
                config.maximumConcurrency(), config.reportsBatchItemFailures() ? ", ReportBatchItemFailures" : "");
    }

    public MappingStats stats() {
        return new MappingStats(config.functionName(), config.queue().toString(), state, messagesReceived.sum(),
                batchesInvoked.sum(), batchesFailed.sum(), messagesDeleted.sum(), messagesFailed.sum(), inFlight.get(),
                receiveRequests.sum(), emptyReceiveRequests.sum(), deleteRequests.sum());
    }

    /** Stops polling and waits up to {@link #DEFAULT_DRAIN} for in-flight invocations to finish. */
    @Override
    public void close() {
        stopPolling();
        awaitTermination(DEFAULT_DRAIN);
    }

    /**
     * Tells the poller to stop and returns at once. A waiting poller (for a slot, a message group, a backoff) is
     * interrupted; a receiving one finishes its (at most {@value #POLL_WAIT_SECONDS} s) receive. Messages received but
     * not yet invoked are made visible again; batches already handed to the function run to completion.
     */
    synchronized void stopPolling() {
        synchronized (receiveLock) {
            State previous = state;
            state = State.CLOSED;
            if (previous == State.RUNNING && !receiving) {
                poller.interrupt();
            }
        }
    }

    /** @return whether the poller stopped and every in-flight invocation finished within {@code bound} */
    boolean awaitTermination(Duration bound) {
        Instant deadline = Instant.now().plus(bound);
        try {
            Thread current = poller;
            if (current != null && !current.join(bound)) {
                LOG.warn("Event source mapping {}: poller did not stop within {}", config.describe(), bound);
                return false;
            }
            invocations.shutdown();
            Duration left = Duration.between(Instant.now(), deadline);
            boolean drained = invocations.awaitTermination(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
            if (!drained) {
                LOG.warn("Event source mapping {}: {} invocation(s) still running after {}; their messages will"
                        + " return after the visibility timeout", config.describe(), inFlight.get(), bound);
            }
            return drained;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // --- the poller -------------------------------------------------------------------------------------------

    private void poll() {
        while (state == State.RUNNING) {
            try {
                receiveBackoff.await();
                invokeBackoff.await();
                slots.acquire();
                boolean dispatched = false;
                try {
                    List<Message> batch = gather();
                    if (!batch.isEmpty()) {
                        dispatch(batch);
                        dispatched = true;
                    }
                } finally {
                    if (!dispatched) {
                        slots.release();
                    }
                }
            } catch (InterruptedException e) {
                // close() interrupts the poller: the loop condition decides
            } catch (RuntimeException e) {
                if (state == State.RUNNING) {
                    Duration pause = receiveBackoff.failed();
                    LOG.warn("Event source mapping {}: polling {} failed, retrying in {}: {}",
                            config.describe(), queueUrl, pause, e.toString());
                }
            }
        }
        synchronized (receiveLock) {
            Thread.interrupted(); // stopPolling() interrupts under this lock: none is pending after this
        }
        releaseCarriedOver();
        LOG.debug("Event source mapping {}: poller stopped", config.describe());
    }

    /**
     * Receives until the batch is full, the window has closed or the next record would pass the payload limit.
     * On any exception the messages already received go back to {@link #carriedOver}, for the next batch or to be
     * released on close.
     */
    private List<Message> gather() throws InterruptedException {
        List<Message> batch = new ArrayList<>();
        int bytes = EVENT_OVERHEAD_BYTES;
        Instant windowCloses = null;
        try {
            while (!carriedOver.isEmpty() && batch.size() < config.batchSize()) {
                int size = events.recordSize(carriedOver.peekFirst());
                if (!batch.isEmpty() && bytes + size > MAX_PAYLOAD_BYTES) {
                    return batch;
                }
                batch.add(carriedOver.pollFirst());
                bytes += size;
            }
            if (!batch.isEmpty()) {
                windowCloses = windowFrom(Instant.now());
            }
            long sendsSeen = signals == null ? 0 : signals.sends(queueName);
            boolean emptyShortPoll = false;
            while (state == State.RUNNING && batch.size() < config.batchSize()) {
                int waitSeconds = POLL_WAIT_SECONDS;
                if (windowCloses != null) {
                    Duration left = Duration.between(Instant.now(), windowCloses);
                    if (config.maximumBatchingWindowInSeconds() == 0 || !left.isPositive()) {
                        break;
                    }
                    waitSeconds = (int) Math.min(POLL_WAIT_SECONDS, left.toSeconds());
                    if (waitSeconds == 0 && emptyShortPoll) {
                        awaitSend(sendsSeen, left);
                    }
                }
                if (signals != null) {
                    sendsSeen = signals.sends(queueName);
                }
                List<Message> received = receive(Math.min(MAX_MESSAGES_PER_RECEIVE, config.batchSize() - batch.size()),
                        waitSeconds);
                emptyShortPoll = waitSeconds == 0 && received.isEmpty();
                for (Message message : received) {
                    int size = events.recordSize(message);
                    if (!carriedOver.isEmpty() || (!batch.isEmpty() && bytes + size > MAX_PAYLOAD_BYTES)) {
                        carriedOver.addLast(message);
                    } else {
                        batch.add(message);
                        bytes += size;
                    }
                }
                if (!carriedOver.isEmpty()) {
                    LOG.debug("Event source mapping {}: event full at {} bytes, {} message(s) wait for the next batch",
                            config.describe(), bytes, carriedOver.size());
                    break;
                }
                if (windowCloses == null && !batch.isEmpty()) {
                    windowCloses = windowFrom(Instant.now());
                }
            }
            if (state != State.RUNNING) {
                throw new InterruptedException("closing");
            }
            return batch;
        } catch (InterruptedException | RuntimeException e) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                carriedOver.addFirst(batch.get(i));
            }
            throw e;
        }
    }

    /**
     * In a batching window's last second: until the next send to the queue (or the window's end) when sends are
     * reported, otherwise for {@link #SHORT_POLL_PAUSE}.
     */
    private void awaitSend(long sendsSeen, Duration windowLeft) throws InterruptedException {
        if (signals == null) {
            Thread.sleep(SHORT_POLL_PAUSE);
        } else {
            signals.awaitSendAfter(queueName, sendsSeen, windowLeft);
        }
    }

    private Instant windowFrom(Instant firstMessage) {
        return firstMessage.plusSeconds(config.maximumBatchingWindowInSeconds());
    }

    private List<Message> receive(int maxMessages, int waitSeconds) {
        synchronized (receiveLock) {
            if (state != State.RUNNING) {
                return List.of();
            }
            receiving = true;
        }
        List<Message> messages;
        try {
            messages = sqs.receiveMessage(request -> request
                    .queueUrl(queueUrl)
                    .maxNumberOfMessages(maxMessages)
                    .waitTimeSeconds(waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All"))
                    .messages();
        } finally {
            synchronized (receiveLock) {
                receiving = false;
            }
        }
        messagesReceived.add(messages.size());
        (messages.isEmpty() ? emptyReceiveRequests : receiveRequests).increment();
        receiveBackoff.succeeded();
        return messages;
    }

    private void dispatch(List<Message> batch) throws InterruptedException {
        Set<String> batchGroups = MessageGroups.of(batch);
        try {
            groups.acquire(batchGroups);
        } catch (InterruptedException e) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                carriedOver.addFirst(batch.get(i));
            }
            throw e;
        }
        inFlight.incrementAndGet();
        invocations.execute(() -> {
            try {
                invoke(batch);
            } finally {
                inFlight.decrementAndGet();
                groups.release(batchGroups);
                slots.release();
            }
        });
    }

    /** On close: messages received but never invoked become visible again now, not after the visibility timeout. */
    private void releaseCarriedOver() {
        List<Message> held = new ArrayList<>(carriedOver);
        carriedOver.clear();
        for (List<Message> chunk : chunks(held)) {
            try {
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(Integer.toString(i)).receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0)
                            .build());
                }
                sqs.changeMessageVisibilityBatch(request -> request.queueUrl(queueUrl).entries(entries));
                LOG.debug("Event source mapping {}: released {} uninvoked message(s) on close", config.describe(),
                        chunk.size());
            } catch (RuntimeException e) {
                LOG.info("Event source mapping {}: could not release {} uninvoked message(s) on close; they return"
                        + " after the visibility timeout: {}", config.describe(), chunk.size(), e.toString());
            }
        }
    }

    // --- one invocation ---------------------------------------------------------------------------------------

    private void invoke(List<Message> batch) {
        Set<String> ids = new LinkedHashSet<>(batch.stream().map(Message::messageId).toList());
        batchesInvoked.increment();
        LOG.debug("Event source mapping {}: invoking with {} message(s) {}", config.describe(), batch.size(), ids);
        InvocationResult result;
        try {
            result = invoker.invoke(config.functionName(), events.event(batch));
        } catch (UnknownFunctionException e) {
            failBatch(batch, "function " + e.functionName() + " does not exist");
            invokeBackoff.failed();
            return;
        } catch (RuntimeException e) {
            failBatch(batch, "the invocation could not be made: " + e);
            invokeBackoff.failed();
            return;
        }
        invokeBackoff.succeeded();
        switch (outcomeOf(result, ids)) {
            case BatchOutcome.Succeeded succeeded -> {
                LOG.debug("Event source mapping {}: request {} succeeded, deleting {} message(s)",
                        config.describe(), result.requestId(), batch.size());
                delete(batch);
            }
            case BatchOutcome.Failed failed -> failBatch(batch, "request " + result.requestId() + ": " + failed.reason());
            case BatchOutcome.PartiallyFailed partial -> {
                List<Message> succeeded = batch.stream()
                        .filter(message -> !partial.failedMessageIds().contains(message.messageId())).toList();
                messagesFailed.add(batch.size() - succeeded.size());
                LOG.info("Event source mapping {}: request {} reported {} failed item(s) {}; deleting the other {}",
                        config.describe(), result.requestId(), partial.failedMessageIds().size(),
                        partial.failedMessageIds(), succeeded.size());
                delete(succeeded);
            }
        }
    }

    private BatchOutcome outcomeOf(InvocationResult result, Set<String> ids) {
        if (!result.succeeded()) {
            String text = result.payloadText();
            return new BatchOutcome.Failed("function error (" + result.functionError().orElseThrow() + "): "
                    + (text.length() <= 300 ? text : text.substring(0, 300) + "…"));
        }
        if (!config.reportsBatchItemFailures()) {
            return new BatchOutcome.Succeeded();
        }
        return PartialBatchResponse.outcome(result.payload(), ids);
    }

    private void failBatch(List<Message> batch, String reason) {
        batchesFailed.increment();
        messagesFailed.add(batch.size());
        LOG.warn("Event source mapping {}: batch failed, deleting none of {} message(s) {} (they return after the"
                        + " visibility timeout): {}", config.describe(), batch.size(),
                batch.stream().map(Message::messageId).toList(), reason);
    }

    private void delete(List<Message> messages) {
        for (List<Message> chunk : chunks(messages)) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            try {
                deleteRequests.increment();
                DeleteMessageBatchResponse response =
                        sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(entries));
                messagesDeleted.add(response.successful().size());
                for (BatchResultErrorEntry failure : response.failed()) {
                    LOG.warn("Event source mapping {}: could not delete message {}: {} {}", config.describe(),
                            chunk.get(Integer.parseInt(failure.id())).messageId(), failure.code(), failure.message());
                }
            } catch (RuntimeException e) {
                LOG.warn("Event source mapping {}: could not delete messages {}: {}", config.describe(),
                        chunk.stream().map(Message::messageId).toList(), e.toString());
            }
        }
    }

    /** SQS batch actions take at most 10 entries. */
    private static List<List<Message>> chunks(List<Message> messages) {
        List<List<Message>> chunks = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += MAX_MESSAGES_PER_RECEIVE) {
            chunks.add(messages.subList(from, Math.min(messages.size(), from + MAX_MESSAGES_PER_RECEIVE)));
        }
        return chunks;
    }
}
