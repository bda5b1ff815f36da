package dev.relay.local.sns;

import dev.relay.local.lambda.FunctionInvoker;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.lambda.UnknownFunctionException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delivers one published message to the subscriptions that accept it. SQS deliveries are sent before
 * {@link #deliver} returns; Lambda deliveries are asynchronous (SNS invokes Lambda with the Event invocation type),
 * one at a time per subscription so that each function sees its topic's messages in publish order. A failed delivery
 * is logged and never fails the publish, as on SNS.
 */
final class Fanout implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Fanout.class);

    private final QueueSender queues;
    private final FunctionInvoker functions;
    private final SnsEnvelope envelope;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
    /** Per Lambda subscription, the last delivery queued: the next one runs after it. */
    private final Map<String, CompletableFuture<Void>> lambdaQueues = new ConcurrentHashMap<>();

    Fanout(QueueSender queues, FunctionInvoker functions, SnsEnvelope envelope) {
        this.queues = queues;
        this.functions = functions;
        this.envelope = envelope;
    }

    /**
     * @param fifoGroupId         the FIFO message group, null for standard topics
     * @param fifoDeduplicationId the FIFO deduplication id (explicit or content-based), null for standard topics
     */
    void deliver(PublishedMessage published, Publication publication, List<Subscription> subscriptions,
                 String fifoGroupId, String fifoDeduplicationId) {
        for (Subscription subscription : subscriptions) {
            PublishedMessage forProtocol = new PublishedMessage(published.messageId(), published.topicArn(),
                    published.subject(), PublishRules.messageFor(publication, subscription.protocol()),
                    published.timestamp(), published.attributes());
            if (!subscription.accepts(forProtocol.message(), forProtocol.attributes())) {
                LOG.debug("message {} filtered out for {}", published.messageId(), subscription.arn());
                continue;
            }
            switch (subscription.protocol()) {
                case "sqs" -> toQueue(subscription, forProtocol, fifoGroupId, fifoDeduplicationId);
                case "lambda" -> toFunction(subscription, forProtocol);
                default -> throw new IllegalStateException("subscribe admits sqs and lambda only, not "
                        + subscription.protocol());
            }
        }
    }

    private void toQueue(Subscription subscription, PublishedMessage message, String groupId, String deduplicationId) {
        SqsDelivery delivery = envelope.toSqs(message, subscription.arn(), subscription.rawMessageDelivery());
        boolean fifoQueue = subscription.endpoint().endsWith(".fifo");
        try {
            queues.send(new QueueMessage(subscription.endpoint(), delivery, fifoQueue ? groupId : null,
                    fifoQueue ? deduplicationId : null));
        } catch (RuntimeException e) {
            LOG.warn("SNS could not deliver message {} of topic {} to subscription {} (queue {}): {}",
                    message.messageId(), message.topicArn(), subscription.arn(), subscription.endpoint(), e.toString());
        }
    }

    private void toFunction(Subscription subscription, PublishedMessage message) {
        String functionName = Arn.parse(subscription.endpoint()).flatMap(Arn::lambdaFunctionName).orElseThrow();
        byte[] event = envelope.lambdaEvent(message, subscription.arn()).getBytes(StandardCharsets.UTF_8);
        Runnable invoke = () -> {
            try {
                InvocationResult result = functions.invoke(functionName, event);
                if (!result.succeeded()) {
                    LOG.warn("function {} failed on message {} of topic {} (subscription {}): {}", functionName,
                            message.messageId(), message.topicArn(), subscription.arn(), result.payloadText());
                }
            } catch (UnknownFunctionException e) {
                LOG.warn("SNS could not deliver message {} of topic {} to subscription {}: no function {}",
                        message.messageId(), message.topicArn(), subscription.arn(), functionName);
            } catch (RuntimeException e) {
                LOG.error("SNS could not deliver message {} of topic {} to subscription {} (function {})",
                        message.messageId(), message.topicArn(), subscription.arn(), functionName, e);
            }
        };
        lambdaQueues.compute(subscription.arn(), (arn, last) -> (last == null || last.isDone()
                ? CompletableFuture.runAsync(invoke, invocations)
                : last.thenRunAsync(invoke, invocations)));
    }

    /** Stops after the Lambda deliveries already queued (waits at most a few seconds). */
    @Override
    public void close() {
        try {
            CompletableFuture.allOf(lambdaQueues.values().toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("SNS stopped with Lambda deliveries still running: {}", e.toString());
        }
        invocations.shutdownNow();
    }
}
