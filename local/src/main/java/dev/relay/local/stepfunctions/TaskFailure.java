package dev.relay.local.stepfunctions;

/** What a {@link TaskInvoker} throws when the integrated service reports an error, e.g. a Lambda's exception. */
public final class TaskFailure extends StatesError {
    public TaskFailure(String error, String cause) {
        super(error, cause);
    }
}
