package dev.relay.local.stepfunctions;

/**
 * Who runs an execution: the state machine's ARN and name and the role, which appear in the context object
 * ({@code $$.StateMachine.Id}, {@code $$.Execution.RoleArn}) and in the execution ARN.
 */
public record ExecutionContext(
        String stateMachineArn, String stateMachineName, String roleArn, ExecutionListener listener) {

    private static final String LOCAL_REGION_ACCOUNT = "us-east-1:123456789012";

    public ExecutionContext {
        listener = listener == null ? ExecutionListener.NONE : listener;
    }

    /** A context for a state machine named {@code name} in the local account. */
    public static ExecutionContext local(String name) {
        return new ExecutionContext("arn:aws:states:" + LOCAL_REGION_ACCOUNT + ":stateMachine:" + name, name,
                "arn:aws:iam::123456789012:role/" + name + "-role", ExecutionListener.NONE);
    }

    public ExecutionContext withListener(ExecutionListener listener) {
        return new ExecutionContext(stateMachineArn, stateMachineName, roleArn, listener);
    }

    /** arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME, as StartExecution returns it. */
    String executionArn(String executionName) {
        String base = stateMachineArn.contains(":stateMachine:")
                ? stateMachineArn.replace(":stateMachine:", ":execution:")
                : "arn:aws:states:" + LOCAL_REGION_ACCOUNT + ":execution:" + stateMachineName;
        return base + ":" + executionName;
    }
}
