package dev.relay.local.sns;

import dev.relay.local.edge.EdgeServer;
import dev.relay.local.lambda.FunctionInvoker;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.lambda.UnknownFunctionException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One test class's local SNS, wired as the local cloud wires it: an embedded ElasticMQ, {@link SnsService} sending
 * to it through {@link SqsQueueSender}, {@link SnsEndpoint} on an {@link EdgeServer}, and the real SDK clients.
 * Lambda subscriptions go to a recording {@link FunctionInvoker} that knows the functions named in {@link #FUNCTIONS}.
 */
final class LocalSns implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    static final List<String> FUNCTIONS = List.of("audit", "orders", "slow");

    record Invocation(String functionName, String payload) {
    }

    final SQSRestServer elasticMq;
    final SqsClient sqs;
    final SqsQueueSender queueSender;
    final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    final SnsService service;
    final EdgeServer edge;
    final SnsClient sns;
    private final AtomicInteger names = new AtomicInteger();

    LocalSns() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSRegion(REGION)
                .withAWSAccountId(ACCOUNT).start();
        int sqsPort = elasticMq.waitUntilStarted().localAddress().getPort();
        URI sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
        sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        queueSender = SqsQueueSender.connect(sqsEndpoint, REGION);
        FunctionInvoker functions = (name, payload) -> {
            if (!FUNCTIONS.contains(name)) {
                throw new UnknownFunctionException(name);
            }
            if (name.equals("slow")) {
                sleep(20);
            }
            invocations.add(new Invocation(name, new String(payload, StandardCharsets.UTF_8)));
            return new InvocationResult(UUID.randomUUID().toString(), "null".getBytes(StandardCharsets.UTF_8),
                    Optional.empty());
        };
        service = new SnsService(REGION, ACCOUNT, queueSender, functions, new SnsEnvelope());
        edge = EdgeServer.start(new InetSocketAddress("127.0.0.1", 0), new SnsEndpoint(service));
        sns = SnsClient.builder().endpointOverride(URI.create(edge.baseUrl())).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    /** A fresh name for a topic or queue, so tests of one class never share one. */
    String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    /** Creates a queue and answers its ARN. */
    String queue(String name) {
        sqs.createQueue(r -> r.queueName(name));
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    /** Creates a FIFO queue (name ending in .fifo) and answers its ARN. */
    String fifoQueue(String name) {
        sqs.createQueue(r -> r.queueName(name).attributesWithStrings(Map.of("FifoQueue", "true")));
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    String queueUrl(String queueArn) {
        return sqs.getQueueUrl(r -> r.queueName(queueArn.substring(queueArn.lastIndexOf(':') + 1))).queueUrl();
    }

    /** What is on the queue now (Publish returns after SQS deliveries were sent, so no waiting is needed). */
    List<Message> receive(String queueArn) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl(queueArn)).maxNumberOfMessages(10).waitTimeSeconds(0)
                .messageAttributeNames("All")).messages();
    }

    /** Waits up to five seconds for {@code count} Lambda invocations (they are asynchronous). */
    List<Invocation> awaitInvocations(int count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (invocations.size() < count && System.nanoTime() < deadline) {
            sleep(10);
        }
        return List.copyOf(invocations);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        sns.close();
        edge.close();
        service.close();
        queueSender.close();
        sqs.close();
        elasticMq.stopAndWait();
    }
}
