package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Calls what a Task state's {@code Resource} names: a Lambda ARN, {@code arn:aws:states:::sns:publish},
 * {@code arn:aws:states:::dynamodb:putItem} and so on. The local cloud implements it; the engine stays free of
 * AWS SDKs.
 *
 * <p>For {@code .waitForTaskToken} resources the return value is only the service's acknowledgement: the
 * state's result is what is later passed to {@link Engine#sendTaskSuccess}.
 */
@FunctionalInterface
public interface TaskInvoker {

    /**
     * @return the service's result
     * @throws TaskFailure with the error name and cause the service reports, e.g. a Lambda's error type
     */
    JsonNode invoke(TaskRequest request);

    /**
     * What makes a Task impossible to run, found before any execution starts (an unknown integration, a function
     * that does not exist): one problem per entry, each starting with the field it is about, e.g.
     * {@code "Resource: ..."}. Empty when the task can run, which is the default.
     */
    default List<String> check(StateMachineDefinition.TaskDeclaration task) {
        return List.of();
    }
}
