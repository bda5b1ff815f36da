package dev.relay.core.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/** What happens to a message whose event failed, beyond reporting it in {@code batchItemFailures}. */
public interface Redelivery {

    /** A retryable failure: arrange when SQS delivers the message again (the message is reported as failed). */
    void retryLater(SQSEvent.SQSMessage message, RuntimeException cause);

    /**
     * A failure no retry can cure: move the message to its dead-letter queue now. Returns {@code true} when it was
     * moved (the worker then reports the message done, so SQS deletes the original); {@code false} has the worker
     * retry it like any other failure, until the queue's redrive policy moves it.
     */
    boolean deadLetterNow(SQSEvent.SQSMessage message, RuntimeException cause);

    /** SQS's own behaviour: failed messages come back after the visibility timeout, DLQ after maxReceiveCount. */
    static Redelivery visibilityTimeoutOnly() {
        return new Redelivery() {
            @Override
            public void retryLater(SQSEvent.SQSMessage message, RuntimeException cause) {
            }

            @Override
            public boolean deadLetterNow(SQSEvent.SQSMessage message, RuntimeException cause) {
                return false;
            }
        };
    }
}
