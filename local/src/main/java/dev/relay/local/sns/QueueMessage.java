package dev.relay.local.sns;

import java.util.Objects;

/**
 * One message SNS sends to a subscribed SQS queue.
 *
 * @param queueArn               {@code arn:aws:sqs:<region>:<account>:<name>}
 * @param delivery               body and SQS message attributes
 * @param messageGroupId         for FIFO queues; null otherwise
 * @param messageDeduplicationId for FIFO queues; null otherwise
 */
public record QueueMessage(String queueArn, SqsDelivery delivery, String messageGroupId,
                           String messageDeduplicationId) {

    public QueueMessage {
        Objects.requireNonNull(queueArn, "queueArn");
        Objects.requireNonNull(delivery, "delivery");
    }
}
