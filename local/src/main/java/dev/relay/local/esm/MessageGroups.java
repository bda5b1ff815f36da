package dev.relay.local.esm;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The FIFO message groups that have a batch in flight. SQS already withholds a group while any of its messages is
 * in flight; this guard keeps "one batch per group at a time" true even when that does not hold, e.g. a visibility
 * timeout shorter than the invocation, or messages of one group split across two events by the payload limit.
 */
final class MessageGroups {

    private final Set<String> inFlight = new HashSet<>();

    static Set<String> of(List<Message> batch) {
        return batch.stream()
                .map(message -> message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .filter(group -> group != null)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Waits until none of {@code groups} is in flight, then marks them all in flight. */
    synchronized void acquire(Set<String> groups) throws InterruptedException {
        while (!Collections.disjoint(inFlight, groups)) {
            wait();
        }
        inFlight.addAll(groups);
    }

    synchronized void release(Set<String> groups) {
        inFlight.removeAll(groups);
        notifyAll();
    }
}
