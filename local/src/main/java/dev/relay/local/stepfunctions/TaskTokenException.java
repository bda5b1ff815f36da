package dev.relay.local.stepfunctions;

/** What SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat answer for a token they cannot use. */
public sealed class TaskTokenException extends RuntimeException
        permits TaskTokenException.TaskDoesNotExist, TaskTokenException.TaskTimedOut {

    private final String errorCode;

    private TaskTokenException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    /** The AWS API error code, e.g. {@code TaskDoesNotExist}. */
    public String errorCode() {
        return errorCode;
    }

    /** No task was ever issued with this token. */
    public static final class TaskDoesNotExist extends TaskTokenException {
        TaskDoesNotExist(String token) {
            super("TaskDoesNotExist", "Task does not exist for token " + token);
        }
    }

    /** The task already finished: it timed out, succeeded, failed or its execution stopped. */
    public static final class TaskTimedOut extends TaskTokenException {
        TaskTimedOut(String token) {
            super("TaskTimedOut", "Task timed out or is already closed for token " + token);
        }
    }
}
