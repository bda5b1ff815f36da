package dev.relay.local.esm;

/**
 * An SQS queue's ARN, {@code arn:<partition>:sqs:<region>:<account>:<name>}: the event source mapping's handle on
 * its queue. The event carries it as {@code eventSourceARN} and its region as {@code awsRegion}.
 */
public record QueueArn(String partition, String region, String accountId, String queueName) {

    /**
     * @throws InvalidMappingException naming {@code field} when {@code arn} is not an SQS queue ARN
     */
    public static QueueArn parse(String arn, String field) {
        String[] parts = arn == null ? new String[0] : arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")
                || parts[1].isEmpty() || parts[3].isEmpty() || parts[4].isEmpty() || parts[5].isEmpty()) {
            throw new InvalidMappingException(field,
                    "must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue name>), got " + arn);
        }
        return new QueueArn(parts[1], parts[3], parts[4], parts[5]);
    }

    /** FIFO queues' names end in {@code .fifo}; SQS enforces it, so the name alone tells. */
    public boolean isFifo() {
        return queueName.endsWith(".fifo");
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":sqs:" + region + ":" + accountId + ":" + queueName;
    }
}
