package dev.relay.ingest;

import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import dev.relay.embedded.ElasticMqService;
import dev.relay.embedded.LocalPorts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The topic as one subscribed queue sees it: each event lands on a real (embedded ElasticMQ) queue as SNS raw delivery
 * puts it there, body and {@code type}/{@code id}/{@code correlationid} attributes. Tests read the queue.
 */
final class QueueTopic implements TopicPublisher {

    private static ElasticMqService server;
    private static SqsClient sqs;
    private static final AtomicInteger QUEUES = new AtomicInteger();

    final String queueUrl;

    private QueueTopic(String queueUrl) {
        this.queueUrl = queueUrl;
    }

    /** A fresh, empty queue on the JVM's one ElasticMQ. */
    static synchronized QueueTopic fresh() {
        if (server == null) {
            server = ElasticMqService.start("http://127.0.0.1:" + LocalPorts.free(), "us-east-1", "000000000000");
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .endpointOverride(server.endpoint()).build();
        }
        String name = "observer-" + QUEUES.incrementAndGet();
        return new QueueTopic(sqs.createQueue(b -> b.queueName(name)).queueUrl());
    }

    @Override
    public List<Optional<Problem>> publish(List<Envelope> events) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, MessageAttributeValue> attributes = new HashMap<>();
            SnsEventPublisher.attributes(events.get(i)).forEach((name, value) -> attributes.put(name,
                    MessageAttributeValue.builder().dataType(value.dataType()).stringValue(value.stringValue()).build()));
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(events.get(i).toJson())
                    .messageAttributes(attributes).build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        List<Optional<Problem>> outcomes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String id = Integer.toString(i);
            outcomes.add(response.failed().stream().anyMatch(f -> f.id().equals(id))
                    ? Optional.of(Problem.unavailable("the queue did not take it")) : Optional.empty());
        }
        return outcomes;
    }

    /** Every message on the queue now (they stay invisible afterwards, so each call sees new ones only). */
    List<Message> drain() {
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout(600).messageAttributeNames("All")).messages();
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    int depth() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }
}
