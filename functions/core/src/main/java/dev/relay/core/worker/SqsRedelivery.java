package dev.relay.core.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Redelivery through SQS itself. A retryable failure comes back after an exponential, fully jittered delay
 * ({@link Backoff} of the receive count, applied with {@code ChangeMessageVisibility}) instead of the queue's fixed
 * visibility timeout; a permanent one is sent to the queue's dead-letter queue at once, body and message attributes
 * unchanged, with {@code relay-error-type}, {@code relay-error-reason}, {@code relay-source-queue} and
 * {@code relay-receive-count} saying why. The dead-letter queue is the one the source queue's {@code RedrivePolicy}
 * names, so the Lambda function needs no configuration beyond IAM.
 *
 * <p>Neither method throws: when SQS refuses, the message is simply reported failed and the queue's visibility timeout
 * and redrive policy take over, so nothing is lost.
 */
public final class SqsRedelivery implements Redelivery {

    /** At most 2 s before the first retry, doubling up to 5 minutes (maxReceiveCount 5: at most 2+4+8+16 s in all). */
    public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));
    /** SQS refuses a visibility timeout beyond 12 hours (counted from the message's receive). */
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** SQS's limit of message attributes per message. */
    static final int MAX_ATTRIBUTES = 10;
    static final int MAX_REASON_LENGTH = 256;

    public static final String ERROR_TYPE = "relay-error-type";
    public static final String ERROR_REASON = "relay-error-reason";
    public static final String SOURCE_QUEUE = "relay-source-queue";
    public static final String RECEIVE_COUNT = "relay-receive-count";
    /** The originals a dead-lettered message keeps first when not all fit: they identify the event. */
    private static final List<String> KEPT_FIRST = List.of("type", "id", "correlationid");

    private static final Logger LOG = LoggerFactory.getLogger(SqsRedelivery.class);

    private final SqsClient sqs;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final Map<String, String> deadLetterQueues = new ConcurrentHashMap<>();

    public SqsRedelivery(SqsClient sqs, Backoff backoff) {
        this(sqs, backoff, new Random()); // java.util.Random is safe to share between threads
    }

    /** With the jitter's source given, so tests can pin it. */
    SqsRedelivery(SqsClient sqs, Backoff backoff, RandomGenerator random) {
        if (backoff.cap().compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("backoff cap " + backoff.cap() + " is beyond SQS's 12 hour visibility limit");
        }
        this.sqs = sqs;
        this.backoff = backoff;
        this.random = random;
    }

    /** For a Lambda function: the SQS client from {@link AwsClients}, the {@link #DEFAULT_BACKOFF}. */
    public static SqsRedelivery fromEnvironment() {
        return new SqsRedelivery(AwsClients.build(SqsClient.builder()), DEFAULT_BACKOFF);
    }

    @Override
    public void retryLater(SQSEvent.SQSMessage message, RuntimeException cause) {
        int receiveCount = receiveCount(message);
        int seconds = visibilityTimeout(receiveCount);
        try {
            String queueUrl = queueUrl(message.getEventSourceArn());
            sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl)
                    .receiptHandle(message.getReceiptHandle()).visibilityTimeout(seconds));
            LOG.info("message {} failed its receive {}; it comes back in {} s", message.getMessageId(), receiveCount,
                    seconds);
        } catch (RuntimeException e) {
            LOG.warn("could not delay message {}; it comes back after the queue's visibility timeout: {}",
                    message.getMessageId(), e.toString());
        }
    }

    @Override
    public boolean deadLetterNow(SQSEvent.SQSMessage message, RuntimeException cause) {
        String source = message.getEventSourceArn();
        try {
            Optional<String> deadLetterQueue = deadLetterQueue(source);
            if (deadLetterQueue.isEmpty()) {
                LOG.warn("queue {} has no redrive policy, so message {} cannot go to a dead-letter queue; it is retried",
                        source, message.getMessageId());
                return false;
            }
            sqs.sendMessage(deadLetter(message, cause, deadLetterQueue.get()));
            LOG.info("message {} sent to dead-letter queue {} at once ({})", message.getMessageId(),
                    deadLetterQueue.get(), cause.getClass().getSimpleName());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not send message {} to the dead-letter queue; the queue's redrive policy applies: {}",
                    message.getMessageId(), e.toString());
            return false;
        }
    }

    /**
     * Seconds the message stays hidden after failing its {@code receiveCount}-th receive: the jittered delay rounded
     * to SQS's whole seconds, in [0, ceiling].
     */
    int visibilityTimeout(int receiveCount) {
        long seconds = Math.round(backoff.delay(receiveCount, random).toMillis() / 1000.0);
        return (int) Math.min(seconds, backoff.ceiling(receiveCount).toSeconds());
    }

    private SendMessageRequest deadLetter(SQSEvent.SQSMessage message, RuntimeException cause, String queueArn) {
        SendMessageRequest.Builder request = SendMessageRequest.builder()
                .queueUrl(queueUrl(queueArn))
                .messageBody(message.getBody())
                .messageAttributes(attributes(message, cause));
        if (queueArn.endsWith(".fifo")) {
            Map<String, String> system = message.getAttributes() == null ? Map.of() : message.getAttributes();
            request.messageGroupId(system.getOrDefault("MessageGroupId", message.getMessageId()))
                    .messageDeduplicationId(message.getMessageId());
        }
        return request.build();
    }

    /** The relay-* attributes, then as many originals as fit SQS's limit: type, id and correlationid first. */
    static Map<String, MessageAttributeValue> attributes(SQSEvent.SQSMessage message, Throwable cause) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(ERROR_TYPE, text(errorType(cause)));
        attributes.put(ERROR_REASON, text(reason(cause)));
        attributes.put(SOURCE_QUEUE, text(message.getEventSourceArn()));
        attributes.put(RECEIVE_COUNT, MessageAttributeValue.builder().dataType("Number")
                .stringValue(Integer.toString(receiveCount(message))).build());

        Map<String, SQSEvent.MessageAttribute> originals = new TreeMap<>(
                message.getMessageAttributes() == null ? Map.of() : message.getMessageAttributes());
        List<String> names = new ArrayList<>(KEPT_FIRST.stream().filter(originals::containsKey).toList());
        originals.keySet().stream().filter(name -> !KEPT_FIRST.contains(name)).forEach(names::add);
        List<String> dropped = new ArrayList<>();
        for (String name : names) {
            if (attributes.containsKey(name)) {
                continue; // a message dead-lettered before: this time's reason replaces the old one
            }
            if (attributes.size() < MAX_ATTRIBUTES) {
                attributes.put(name, sdkValue(originals.get(name)));
            } else {
                dropped.add(name);
            }
        }
        if (!dropped.isEmpty()) {
            LOG.warn("message {} goes to the dead-letter queue without the attributes {}: SQS allows {} per message",
                    message.getMessageId(), dropped, MAX_ATTRIBUTES);
        }
        return attributes;
    }

    /** The failure's message, without a stack trace, cut to a length that reads well in a console. */
    static String reason(Throwable cause) {
        String text = cause.getMessage() == null || cause.getMessage().isBlank()
                ? "(no message)" : cause.getMessage();
        StringBuilder reason = new StringBuilder();
        // SQS accepts only XML's characters in attribute values: replace the others rather than fail the send
        text.codePoints().limit(MAX_REASON_LENGTH)
                .forEach(c -> reason.appendCodePoint(allowedInSqs(c) ? c : '?'));
        if (text.codePointCount(0, text.length()) > MAX_REASON_LENGTH) {
            reason.append('…');
        }
        return reason.toString();
    }

    private static boolean allowedInSqs(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    private static String errorType(Throwable cause) {
        String name = cause.getClass().getSimpleName();
        return name.isEmpty() ? cause.getClass().getName() : name;
    }

    /** The receive that just failed, as Lambda reports it; 1 when missing (the gentlest delay). */
    static int receiveCount(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The dead-letter queue's ARN from the source queue's redrive policy; cached once found. */
    private Optional<String> deadLetterQueue(String sourceArn) {
        String known = deadLetterQueues.get(sourceArn);
        if (known != null) {
            return Optional.of(known);
        }
        String policy = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl(sourceArn))
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null || policy.isBlank()) {
            return Optional.empty();
        }
        JsonNode target = readJson(policy).path("deadLetterTargetArn");
        if (!target.isTextual() || target.asText().isBlank()) {
            throw new IllegalStateException("the redrive policy of " + sourceArn + " names no deadLetterTargetArn");
        }
        deadLetterQueues.put(sourceArn, target.asText());
        return Optional.of(target.asText());
    }

    /** {@code arn:aws:sqs:<region>:<account>:<name>} to the queue's URL; cached. */
    private String queueUrl(String queueArn) {
        return queueUrls.computeIfAbsent(queueArn, arn -> {
            String[] parts = arn == null ? new String[0] : arn.split(":", 6);
            if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")) {
                throw new IllegalArgumentException("not an SQS queue ARN: " + arn);
            }
            return sqs.getQueueUrl(request -> request.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
        });
    }

    private static JsonNode readJson(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("the redrive policy is not JSON: " + e.getMessage(), e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** Lambda's view of an attribute back into the SDK's; the list values are unused by SQS and left out. */
    private static MessageAttributeValue sdkValue(SQSEvent.MessageAttribute attribute) {
        MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(attribute.getDataType());
        if (attribute.getStringValue() != null) {
            value.stringValue(attribute.getStringValue());
        }
        if (attribute.getBinaryValue() != null) {
            value.binaryValue(SdkBytes.fromByteBuffer(attribute.getBinaryValue().duplicate()));
        }
        return value.build();
    }
}
