package dev.relay.local.sns;

import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends SNS deliveries to SQS with the AWS SDK (against the embedded ElasticMQ in the local cloud). Queue URLs are
 * looked up once per ARN with GetQueueUrl and forgotten when the queue turns out to be gone.
 */
public final class SqsQueueSender implements QueueSender, AutoCloseable {

    private final SqsClient sqs;
    private final boolean ownsClient;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    /** Uses a client owned by the caller (closing this sender leaves it open). */
    public SqsQueueSender(SqsClient sqs) {
        this(sqs, false);
    }

    private SqsQueueSender(SqsClient sqs, boolean ownsClient) {
        this.sqs = sqs;
        this.ownsClient = ownsClient;
    }

    /** A sender with its own client for the SQS endpoint at {@code endpoint} (local: any credentials do). */
    public static SqsQueueSender connect(URI endpoint, String region) {
        SqsClient client = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new SqsQueueSender(client, true);
    }

    @Override
    public void send(QueueMessage message) {
        String url = queueUrl(message.queueArn());
        SendMessageRequest.Builder request = SendMessageRequest.builder()
                .queueUrl(url)
                .messageBody(message.delivery().body())
                .messageAttributes(sqsAttributes(message.delivery().messageAttributes()));
        if (message.messageGroupId() != null) {
            request.messageGroupId(message.messageGroupId());
        }
        if (message.messageDeduplicationId() != null) {
            request.messageDeduplicationId(message.messageDeduplicationId());
        }
        try {
            sqs.sendMessage(request.build());
        } catch (QueueDoesNotExistException e) {
            queueUrls.remove(message.queueArn());
            throw e;
        }
    }

    private String queueUrl(String queueArn) {
        return queueUrls.computeIfAbsent(queueArn, arnText -> {
            Arn arn = Arn.parse(arnText).orElseThrow(() -> new IllegalArgumentException("not an ARN: " + arnText));
            String name = arn.sqsQueueName().orElseThrow(() -> new IllegalArgumentException("not an SQS queue ARN: "
                    + arnText));
            return sqs.getQueueUrl(r -> r.queueName(name).queueOwnerAWSAccountId(arn.account())).queueUrl();
        });
    }

    /** SNS attribute types carry over to SQS unchanged; String.Array is a String with the custom type "Array". */
    private static Map<String, MessageAttributeValue> sqsAttributes(Map<String, MessageAttribute> attributes) {
        Map<String, MessageAttributeValue> sqsAttributes = new LinkedHashMap<>();
        attributes.forEach((name, attribute) -> {
            MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(attribute.dataType());
            if (attribute.baseType().equals("Binary")) {
                value.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(attribute.stringValue())));
            } else {
                value.stringValue(attribute.stringValue());
            }
            sqsAttributes.put(name, value.build());
        });
        return sqsAttributes;
    }

    @Override
    public void close() {
        if (ownsClient) {
            sqs.close();
        }
    }
}
