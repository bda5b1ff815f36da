package dev.relay.local.sfn;

import dev.relay.local.stepfunctions.StateMachineDefinition;
import java.time.Instant;

/**
 * A state machine of the local Step Functions: DescribeStateMachine's fields and the parsed definition.
 *
 * @param definitionText the definition as given (what DescribeStateMachine returns)
 * @param definition     the same, parsed and validated
 */
public record StateMachine(String arn, String name, StateMachineType type, String definitionText,
                           StateMachineDefinition definition, String roleArn, Instant creationDate) {
}
