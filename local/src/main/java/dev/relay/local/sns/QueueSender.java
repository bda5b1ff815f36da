package dev.relay.local.sns;

/**
 * Where SNS puts messages for {@code sqs} subscriptions. The local cloud sends to its embedded ElasticMQ through
 * {@link SqsQueueSender}; the port keeps SnsService free of the SQS client.
 */
@FunctionalInterface
public interface QueueSender {

    /**
     * Sends synchronously: when this returns, a receiver can see the message.
     *
     * @throws RuntimeException when the queue does not exist or refuses the message; SNS logs it and goes on
     */
    void send(QueueMessage message);
}
