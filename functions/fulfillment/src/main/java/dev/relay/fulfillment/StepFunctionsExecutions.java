package dev.relay.fulfillment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** {@link SagaStarter.Executions} on Step Functions' {@code StartExecution}. */
public final class StepFunctionsExecutions implements SagaStarter.Executions {

    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsExecutions(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String start(String name, ObjectNode input) {
        try {
            return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(Json.write(input)))
                    .executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            // This order's saga was started before (a redelivery): it is the one saga of the order.
            return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
        }
    }
}
