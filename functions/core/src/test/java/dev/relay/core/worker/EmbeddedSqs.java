package dev.relay.core.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.embedded.ElasticMqService;
import dev.relay.embedded.LocalPorts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Embedded ElasticMQ with a real SDK client of it, and Lambda's side of an SQS event source mapping: receive a batch,
 * hand it to the worker as the {@link SQSEvent} Lambda would build, delete every message not reported failed.
 */
final class EmbeddedSqs implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";

    private final ElasticMqService server;
    private final AtomicInteger queues = new AtomicInteger();
    final SqsClient sqs;

    EmbeddedSqs() {
        // Queue URLs name an address nobody listens on: the SDK sends every call to the endpoint, never to a queue URL.
        server = ElasticMqService.start("http://127.0.0.1:" + LocalPorts.free(), REGION, ACCOUNT);
        sqs = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(server.endpoint())
                .build();
    }

    /** A queue with a fresh name ({@code .fifo} prefixes make FIFO queues); its ARN as SQS reports it. */
    Queue queue(String prefix, Map<QueueAttributeName, String> attributes) {
        boolean fifo = prefix.endsWith(".fifo");
        String name = prefix.replace(".fifo", "") + "-" + queues.incrementAndGet() + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> all = new HashMap<>(attributes);
        if (fifo) {
            all.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String url = sqs.createQueue(request -> request.queueName(name).attributes(all)).queueUrl();
        String arn = sqs.getQueueAttributes(request -> request.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Queue(url, arn);
    }

    /** A queue whose redrive policy moves a message to {@code deadLetterQueue} after {@code maxReceiveCount} receives. */
    Queue queue(String prefix, int visibilityTimeoutSeconds, Queue deadLetterQueue, int maxReceiveCount) {
        return queue(prefix, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterQueue.arn()
                        + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}"));
    }

    String send(Queue queue, String body, Map<String, MessageAttributeValue> attributes) {
        return send(SendMessageRequest.builder().queueUrl(queue.url()).messageBody(body).messageAttributes(attributes)
                .build());
    }

    String send(SendMessageRequest request) {
        return sqs.sendMessage(request).messageId();
    }

    /** One short poll for up to ten messages, with every system and message attribute, as Lambda asks. */
    List<Message> receive(Queue queue) {
        return sqs.receiveMessage(request -> request.queueUrl(queue.url()).maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"))
                .messages();
    }

    /** Polls until at least one message is received or {@code limit} passes; empty if none came. */
    Received receiveWithin(Queue queue, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            List<Message> messages = receive(queue);
            Instant at = Instant.now();
            if (!messages.isEmpty() || at.isAfter(deadline)) {
                return new Received(messages, at);
            }
            pause(Duration.ofMillis(25));
        }
    }

    /** Receives until {@code count} messages came or {@code limit} passes. */
    List<Message> receive(Queue queue, int count, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        List<Message> all = new ArrayList<>();
        while (all.size() < count && Instant.now().isBefore(deadline)) {
            List<Message> got = receive(queue);
            all.addAll(got);
            if (got.isEmpty()) {
                pause(Duration.ofMillis(25));
            }
        }
        return all;
    }

    /** One poll of the event source mapping: receive a batch, invoke the worker, delete what it did not report failed. */
    Invocation deliver(Queue queue, QueueWorker worker) {
        List<Message> batch = receive(queue);
        return new Invocation(batch, invoke(queue, worker, batch));
    }

    SQSBatchResponse invoke(Queue queue, QueueWorker worker, List<Message> batch) {
        SQSBatchResponse response = worker.process(event(queue, batch));
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        batch.stream().filter(message -> !failed.contains(message.messageId())).forEach(message ->
                sqs.deleteMessage(request -> request.queueUrl(queue.url()).receiptHandle(message.receiptHandle())));
        return response;
    }

    /** Messages waiting plus messages received and not yet back: everything still on the queue. */
    int size(Queue queue) {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(request -> request.queueUrl(queue.url())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The event Lambda hands the function for {@code batch} received from {@code queue}. */
    static SQSEvent event(Queue queue, List<Message> batch) {
        SQSEvent event = new SQSEvent();
        event.setRecords(batch.stream().map(message -> record(queue, message)).toList());
        return event;
    }

    private static SQSEvent.SQSMessage record(Queue queue, Message message) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setReceiptHandle(message.receiptHandle());
        record.setBody(message.body());
        record.setMd5OfBody(message.md5OfBody());
        record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
        record.setMessageAttributes(attributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queue.arn());
        record.setAwsRegion(REGION);
        return record;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        attribute.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
        attribute.setStringListValues(List.of());
        attribute.setBinaryListValues(List.of());
        return attribute;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        sqs.close();
        server.close();
    }

    record Queue(String url, String arn) {
    }

    record Received(List<Message> messages, Instant at) {
    }

    record Invocation(List<Message> batch, SQSBatchResponse response) {

        List<String> failedIds() {
            return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .toList();
        }
    }
}
