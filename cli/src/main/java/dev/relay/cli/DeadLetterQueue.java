package dev.relay.cli;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A dead-letter queue of the target (an output ending in {@code DeadLetterQueueUrl}): its depth, and the queues whose
 * redrive policy names it ({@code ListDeadLetterSourceQueues}), where a redrive sends its messages back.
 *
 * @param visible  messages waiting ({@code ApproximateNumberOfMessages})
 * @param inFlight messages received and not yet deleted or released ({@code ApproximateNumberOfMessagesNotVisible})
 * @param sources  the source queues' URLs
 */
record DeadLetterQueue(String name, String url, String arn, long visible, long inFlight, List<String> sources) {

    static List<DeadLetterQueue> all(Target target) {
        return target.deadLetterQueueUrls().stream().map(url -> load(target.sqs(), url)).toList();
    }

    /**
     * The dead-letter queue called {@code given}: its name ({@code relay-ops-dlq}), URL, or name without the stack's
     * prefix ({@code ops-dlq}, {@code ops}).
     */
    static DeadLetterQueue find(Target target, String given) {
        List<String> urls = target.deadLetterQueueUrls();
        List<String> matches = urls.stream().filter(url -> url.equals(given) || name(url).equals(given)).toList();
        if (matches.isEmpty()) {
            matches = urls.stream()
                    .filter(url -> name(url).endsWith("-" + given) || name(url).endsWith("-" + given + "-dlq")).toList();
        }
        if (matches.size() > 1) {
            throw CommandException.usage("'" + given + "' could be any of " + matches.stream().map(DeadLetterQueue::name)
                    .toList() + ": give the whole name");
        }
        if (matches.isEmpty()) {
            throw CommandException.notFound("no dead-letter queue '" + given + "' at " + target.description()
                    + " (its dead-letter queues: " + urls.stream().map(DeadLetterQueue::name).toList() + ")");
        }
        return load(target.sqs(), matches.getFirst());
    }

    static DeadLetterQueue load(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.QUEUE_ARN, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        List<String> sources = sqs.listDeadLetterSourceQueuesPaginator(b -> b.queueUrl(url)).queueUrls().stream()
                .toList();
        return new DeadLetterQueue(name(url), url, attributes.get(QueueAttributeName.QUEUE_ARN),
                number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)), sources);
    }

    List<String> sourceNames() {
        return sources.stream().map(DeadLetterQueue::name).toList();
    }

    static String name(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
