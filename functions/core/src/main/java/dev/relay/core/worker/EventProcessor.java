package dev.relay.core.worker;

import dev.relay.core.event.Envelope;

/**
 * What a queue worker does with each decoded event. Returning normally means the event is done; throwing means it is
 * not: a permanent failure ({@link QueueWorker#isPermanent(Throwable)}, e.g. a {@link dev.relay.core.NonRetryable})
 * goes to the dead-letter queue at once, any other is retried.
 */
@FunctionalInterface
public interface EventProcessor {

    void process(Envelope event);
}
