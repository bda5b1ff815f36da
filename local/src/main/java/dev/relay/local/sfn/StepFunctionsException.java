package dev.relay.local.sfn;

/**
 * A request Step Functions refuses, with AWS's error code (the {@code __type} of the JSON error, which the SDKs map to
 * an exception class: {@code ExecutionDoesNotExist} to {@code ExecutionDoesNotExistException}) and a message naming
 * what is wrong.
 */
public final class StepFunctionsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public StepFunctionsException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The AWS error code, e.g. {@code StateMachineDoesNotExist}. */
    public String code() {
        return code;
    }
}
