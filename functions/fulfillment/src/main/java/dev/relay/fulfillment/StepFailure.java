package dev.relay.fulfillment;

/**
 * Why a saga step failed, as the state machine sees it: the Lambda error name is the exception's class name, so
 * {@link TransientStepFailure} is retried with backoff and {@link PermanentStepFailure} goes straight to the
 * compensations.
 */
public abstract sealed class StepFailure extends RuntimeException permits TransientStepFailure, PermanentStepFailure {

    StepFailure(String message) {
        super(message, null, false, false);
    }

    /** The failure an order asks a step to simulate, if any: {@code "timeout"} is transient, anything else permanent. */
    static void simulated(Order order, String point, String timeoutMessage) {
        String mode = order.simulate().get(point);
        if (mode == null) {
            return;
        }
        if (mode.equals("timeout")) {
            throw new TransientStepFailure(timeoutMessage);
        }
        throw new PermanentStepFailure("simulated " + point + " failure: " + mode);
    }
}
