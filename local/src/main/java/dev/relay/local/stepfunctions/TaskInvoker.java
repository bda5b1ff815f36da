package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;

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
}
