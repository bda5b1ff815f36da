package dev.relay.fulfillment;

import dev.relay.core.NonRetryable;

/** The step cannot succeed for this order (card declined, out of stock): no retry, straight to the compensations. */
public final class PermanentStepFailure extends StepFailure implements NonRetryable {

    public PermanentStepFailure(String message) {
        super(message);
    }
}
