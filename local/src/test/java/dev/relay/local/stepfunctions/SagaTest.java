package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static dev.relay.local.stepfunctions.Machines.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An order saga: each step's Catch runs the compensations of exactly the steps that completed. */
class SagaTest {
    private static final String ORDER_SAGA = """
            {"StartAt":"ChargeCard","States":{
              "ChargeCard":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"chargeCard","Payload.$":"$"},"ResultSelector":{"chargeId.$":"$.Payload"},
                "ResultPath":"$.charge","Next":"ReserveInventory",
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"OrderFailed"}]},
              "ReserveInventory":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"reserveInventory","Payload.$":"$"},"ResultPath":null,"Next":"ShipOrder",
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"RefundCard"}]},
              "ShipOrder":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"shipOrder","Payload.$":"$"},"ResultPath":null,"Next":"OrderPlaced",
                "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"ReleaseInventory"}]},
              "ReleaseInventory":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"releaseInventory","Payload.$":"$"},"ResultPath":null,"Next":"RefundCard"},
              "RefundCard":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"refundCard","Payload.$":"$"},"ResultPath":null,"Next":"OrderFailed"},
              "OrderFailed":{"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"$.error.Cause"},
              "OrderPlaced":{"Type":"Succeed"}}}""";

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private TaskInvoker services(String failingFunction) {
        return request -> {
            String function = request.parameters().get("FunctionName").asText();
            calls.add(function);
            if (function.equals(failingFunction)) {
                throw new TaskFailure(function + ".Failed", function + " is unavailable");
            }
            return json("{\"Payload\":\"ch_1\"}");
        };
    }

    @Test
    void inventoryFailureRefundsTheCardAndNothingElse() {
        Execution execution = run(ORDER_SAGA, "{\"orderId\":\"o-1\"}", services("reserveInventory"));

        assertThat(calls).containsExactly("chargeCard", "reserveInventory", "refundCard");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("reserveInventory.Failed");
        assertThat(execution.cause()).isEqualTo("reserveInventory is unavailable");
        assertThat(Machines.eventTypes(execution)).endsWith("FailStateEntered", "ExecutionFailed");
    }

    @Test
    void shippingFailureReleasesInventoryThenRefunds() {
        Execution execution = run(ORDER_SAGA, "{\"orderId\":\"o-2\"}", services("shipOrder"));

        assertThat(calls).containsExactly("chargeCard", "reserveInventory", "shipOrder", "releaseInventory",
                "refundCard");
        assertThat(execution.error()).isEqualTo("shipOrder.Failed");
    }

    @Test
    void aChargeFailureNeedsNoCompensation() {
        Execution execution = run(ORDER_SAGA, "{\"orderId\":\"o-3\"}", services("chargeCard"));

        assertThat(calls).containsExactly("chargeCard");
        assertThat(execution.error()).isEqualTo("chargeCard.Failed");
    }

    @Test
    void theHappyPathRunsEveryStepOnce() {
        Execution execution = run(ORDER_SAGA, "{\"orderId\":\"o-4\"}", services("none"));

        assertThat(calls).containsExactly("chargeCard", "reserveInventory", "shipOrder");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json("{\"orderId\":\"o-4\",\"charge\":{\"chargeId\":\"ch_1\"}}"));
    }
}
