package dev.relay.local.stepfunctions;

/**
 * A runtime error inside an execution, named as ASL names errors: a state reports it, Retry and Catch match
 * its {@link #error()} name, and an unhandled one fails the execution with this error and cause.
 */
public class StatesError extends RuntimeException {
    public static final String ALL = "States.ALL";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    public static final String RUNTIME = "States.Runtime";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
    public static final String PERMISSIONS = "States.Permissions";
    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";

    private final String error;
    private final String errorCause;

    public StatesError(String error, String cause) {
        super(error + (cause == null ? "" : ": " + cause));
        this.error = error;
        this.errorCause = cause;
    }

    public String error() {
        return error;
    }

    /** The human-readable cause; named so as not to clash with {@link Throwable#getCause()}. */
    public String cause() {
        return errorCause;
    }

    /** States.Runtime and States.DataLimitExceeded end the execution: no Retry or Catch applies to them. */
    boolean isTerminal() {
        return RUNTIME.equals(error) || DATA_LIMIT_EXCEEDED.equals(error);
    }

    /** Whether a Retrier's or Catcher's ErrorEquals list covers this error. */
    boolean matches(java.util.List<String> errorEquals) {
        if (isTerminal()) {
            return false;
        }
        for (String name : errorEquals) {
            if (name.equals(error) || name.equals(ALL)) {
                return true;
            }
            // States.TaskFailed is a wildcard for everything except a timeout.
            if (name.equals(TASK_FAILED) && !TIMEOUT.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
