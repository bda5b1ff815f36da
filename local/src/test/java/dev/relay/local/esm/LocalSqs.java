package dev.relay.local.esm;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An embedded ElasticMQ and a real SDK client of it, as the local cloud runs them. One per test class. */
final class LocalSqs implements AutoCloseable {

    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";

    private final SQSRestServer server;
    private final AtomicInteger queues = new AtomicInteger();
    final SqsClient sqs;

    LocalSqs() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSRegion(REGION).withAWSAccountId(ACCOUNT).start();
        int port = server.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .build();
    }

    /** A queue with a fresh name; {@code .fifo} names make FIFO queues. */
    Queue queue(String prefix, Map<QueueAttributeName, String> attributes) {
        boolean fifo = prefix.endsWith(".fifo");
        String name = prefix.replace(".fifo", "") + "-" + queues.incrementAndGet() + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> all = new HashMap<>(attributes);
        if (fifo) {
            all.put(QueueAttributeName.FIFO_QUEUE, "true");
            all.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
        }
        String url = sqs.createQueue(request -> request.queueName(name).attributes(all)).queueUrl();
        return new Queue(url, "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name);
    }

    Queue queue(String prefix, int visibilityTimeoutSeconds) {
        return queue(prefix, Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds)));
    }

    void send(Queue queue, String... bodies) {
        for (String body : bodies) {
            sqs.sendMessage(request -> request.queueUrl(queue.url()).messageBody(body));
        }
    }

    /** Messages waiting to be received. */
    int visible(Queue queue) {
        return count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    /** Messages received and neither deleted nor back yet. */
    int inFlight(Queue queue) {
        return count(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
    }

    /** Receives (and so hides) every visible message, for looking at what is left. */
    List<Message> receiveAll(Queue queue) {
        List<Message> all = new ArrayList<>();
        List<Message> got;
        do {
            got = sqs.receiveMessage(request -> request.queueUrl(queue.url()).maxNumberOfMessages(10)
                    .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL))
                    .messages();
            all.addAll(got);
        } while (!got.isEmpty());
        return all;
    }

    private int count(Queue queue, QueueAttributeName attribute) {
        return Integer.parseInt(sqs.getQueueAttributes(request -> request.queueUrl(queue.url())
                .attributeNames(attribute)).attributes().get(attribute));
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }

    record Queue(String url, String arn) {
    }
}
