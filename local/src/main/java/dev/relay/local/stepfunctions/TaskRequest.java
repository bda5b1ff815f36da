package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One call of a Task state's resource.
 *
 * @param resource the Task's {@code Resource}, e.g. {@code arn:aws:states:::lambda:invoke.waitForTaskToken}
 * @param parameters the effective parameters (after InputPath and Parameters)
 * @param taskToken the token to hand to the worker for {@code .waitForTaskToken}, otherwise {@code null}
 * @param deadline engine time by which the task must finish ({@code TimeoutSeconds}), {@code null} if none
 */
public record TaskRequest(
        String resource,
        JsonNode parameters,
        String taskToken,
        Instant deadline,
        String stateName,
        String executionArn) {

    public boolean waitsForTaskToken() {
        return taskToken != null;
    }
}
