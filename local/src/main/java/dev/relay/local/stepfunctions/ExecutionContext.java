package dev.relay.local.stepfunctions;

import java.util.UUID;

/**
 * Who runs an execution: the state machine's ARN and name and the role, which appear in the context object
 * ({@code $$.StateMachine.Id}, {@code $$.Execution.RoleArn}) and in the execution ARN; {@code express} for an EXPRESS
 * state machine, whose executions have {@code :express:} ARNs.
 */
public record ExecutionContext(
        String stateMachineArn, String stateMachineName, String roleArn, ExecutionListener listener, boolean express) {

    private static final String LOCAL_REGION_ACCOUNT = "us-east-1:123456789012";

    public ExecutionContext {
        listener = listener == null ? ExecutionListener.NONE : listener;
    }

    /** A STANDARD state machine's context. */
    public ExecutionContext(String stateMachineArn, String stateMachineName, String roleArn,
            ExecutionListener listener) {
        this(stateMachineArn, stateMachineName, roleArn, listener, false);
    }

    /** A context for a state machine named {@code name} in the local account. */
    public static ExecutionContext local(String name) {
        return new ExecutionContext("arn:aws:states:" + LOCAL_REGION_ACCOUNT + ":stateMachine:" + name, name,
                "arn:aws:iam::123456789012:role/" + name + "-role", ExecutionListener.NONE);
    }

    public ExecutionContext withListener(ExecutionListener listener) {
        return new ExecutionContext(stateMachineArn, stateMachineName, roleArn, listener, express);
    }

    /**
     * As StartExecution returns it: {@code arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME}, or for EXPRESS
     * machines {@code arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:UUID}.
     */
    String executionArn(String executionName) {
        String kind = express ? ":express:" : ":execution:";
        String base = stateMachineArn.contains(":stateMachine:") ? stateMachineArn.replace(":stateMachine:", kind)
                : "arn:aws:states:" + LOCAL_REGION_ACCOUNT + kind + stateMachineName;
        return base + ":" + executionName + (express ? ":" + UUID.randomUUID() : "");
    }
}
