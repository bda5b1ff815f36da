package dev.relay.fulfillment;

/** A dependency timed out or throttled: a later try may succeed (the state machine retries it with backoff). */
public final class TransientStepFailure extends StepFailure {

    public TransientStepFailure(String message) {
        super(message);
    }
}
