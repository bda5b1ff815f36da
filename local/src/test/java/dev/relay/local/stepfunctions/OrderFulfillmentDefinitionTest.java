package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The repository's statemachines/order-fulfillment.asl.json on the engine, its steps played by a task invoker: the
 * order of steps and compensations for a failure at each step, retries of transient errors, the compensation DLQ,
 * and the human-approval paths. (The steps themselves run for real in the saga's integration test.)
 */
class OrderFulfillmentDefinitionTest {

    private static final String TRANSIENT = "dev.relay.fulfillment.TransientStepFailure";
    private static final String PERMANENT = "dev.relay.fulfillment.PermanentStepFailure";

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<JsonNode> deadLetters = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> approvalTokens = new LinkedBlockingQueue<>();
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Steps succeed unless {@code failures} names them (error name per step); risk review answers {@code risk}. */
    private Execution run(String risk, Map<String, String> failures, int approvalTimeout) throws Exception {
        String definition = Files.readString(Path.of("..", "statemachines", "order-fulfillment.asl.json"))
                .replace("${FulfillmentFunctionArn}", "arn:aws:lambda:us-east-1:000000000000:function:fulfillment")
                .replace("${CompensationDlqUrl}", "http://127.0.0.1:4566/000000000000/relay-compensation-dlq");
        engine = new Engine(request -> {
            if (request.resource().equals("arn:aws:states:::sqs:sendMessage")) {
                deadLetters.add(request.parameters().get("MessageBody"));
                return json("{\"MessageId\":\"m-1\"}");
            }
            String step = request.parameters().at("/Payload/step").asText();
            calls.add(step);
            if (request.waitsForTaskToken()) {
                approvalTokens.add(request.taskToken());
                return json("{}");
            }
            if (failures.containsKey(step)) {
                throw new TaskFailure(failures.get(step), step + " failed: Carrier API timeout");
            }
            return json(switch (step) {
                case "risk_review" -> "{\"Payload\":{\"decision\":\"" + risk + "\",\"score\":40,\"reasons\":[\"new customer\"]}}";
                case "publish_rollback" -> "{\"Payload\":{\"summary\":\"rolled back: "
                        + request.parameters().at("/Payload/failed_step").asText() + " failed\"}}";
                default -> "{\"Payload\":{\"order_id\":\"ord_1\"}}";
            });
        }, new InstantClock());
        return engine.start(StateMachineDefinition.parse(definition), "ord-1", json("""
                {"order":{"order_id":"ord_1"},"correlation_id":"c-1","order_event_id":"e-1","approval_timeout_seconds":%d}
                """.formatted(approvalTimeout)), ExecutionContext.local("OrderFulfillment"));
    }

    private static Execution done(Execution execution) throws InterruptedException {
        assertThat(execution.awaitCompletion(Duration.ofSeconds(20))).isNotEqualTo(ExecutionStatus.RUNNING);
        return execution;
    }

    @Test
    void anApprovedOrderRunsEveryStepOnce() throws Exception {
        Execution execution = done(run("approve", Map.of(), 60));

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls).containsExactly("risk_review", "charge_card", "reserve_inventory", "schedule_shipping", "confirm_order");
    }

    @ParameterizedTest(name = "{0} fails: {1}")
    @CsvSource({
            "charge_card,       charge_card|publish_rollback",
            "reserve_inventory, charge_card|reserve_inventory|refund_card|publish_rollback",
            "schedule_shipping, charge_card|reserve_inventory|schedule_shipping|release_inventory|refund_card|publish_rollback",
            "confirm_order,     charge_card|reserve_inventory|schedule_shipping|confirm_order|cancel_shipping|release_inventory|refund_card|publish_rollback"})
    void aPermanentFailureUndoesExactlyTheStepsBeforeItInReverse(String failing, String expected) throws Exception {
        Execution execution = done(run("approve", Map.of(failing, PERMANENT), 60));

        assertThat(calls.subList(1, calls.size())).containsExactly(expected.split("\\|"));
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("OrderRolledBack");
        assertThat(execution.cause()).startsWith("rolled back: ");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aTransientShippingFailureIsRetriedThenRolledBackAsTheSeedDescribes() throws Exception {
        Execution execution = done(run("approve", Map.of("schedule_shipping", TRANSIENT), 60));

        assertThat(calls).containsExactly("risk_review", "charge_card", "reserve_inventory", "schedule_shipping",
                "schedule_shipping", "schedule_shipping", "schedule_shipping", "release_inventory", "refund_card",
                "publish_rollback");
        assertThat(execution.error()).isEqualTo("OrderRolledBack");
        assertThat(execution.cause()).isEqualTo("rolled back: ScheduleShipping failed");
    }

    @Test
    void aCompensationThatKeepsFailingGoesToTheCompensationDlq() throws Exception {
        Execution execution = done(run("approve", Map.of("schedule_shipping", PERMANENT, "refund_card", PERMANENT), 60));

        assertThat(calls).endsWith("schedule_shipping", "release_inventory", "refund_card");
        assertThat(execution.error()).isEqualTo("CompensationFailed");
        assertThat(deadLetters).singleElement().satisfies(body -> {
            assertThat(body.at("/order/order_id").asText()).isEqualTo("ord_1");
            assertThat(body.get("failed_step").asText()).isEqualTo("ScheduleShipping");
            assertThat(body.at("/compensation_failure/Error").asText()).isEqualTo(PERMANENT);
            assertThat(body.at("/compensations_done/release_inventory")).isNotNull();
        });
    }

    @Test
    void aRejectedOrderEndsWithNothingToUndo() throws Exception {
        Execution execution = done(run("reject", Map.of(), 60));

        assertThat(calls).containsExactly("risk_review");
        assertThat(execution.error()).isEqualTo("OrderRejected");
    }

    @Test
    void anOrderForAPersonContinuesOnApproval() throws Exception {
        Execution execution = run("needs_human", Map.of(), 3600);
        String token = approvalTokens.poll(10, TimeUnit.SECONDS);
        assertThat(token).isNotNull();

        engine.sendTaskSuccess(token, json("{\"approved\":true,\"by\":\"ops@example.com\"}"));

        assertThat(done(execution).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(calls).containsExactly("risk_review", "request_approval", "charge_card", "reserve_inventory",
                "schedule_shipping", "confirm_order");
    }

    @Test
    void anOrderForAPersonIsRejectedOnDenialOrSilence() throws Exception {
        Execution denied = run("needs_human", Map.of(), 3600);
        engine.sendTaskFailure(approvalTokens.poll(10, TimeUnit.SECONDS), "OrderDenied", "not this one");
        assertThat(done(denied).error()).isEqualTo("OrderRejected");
        engine.close();

        calls.clear();
        Execution silent = run("needs_human", Map.of(), 1);
        assertThat(done(silent).error()).isEqualTo("OrderRejected");
        assertThat(calls).containsExactly("risk_review", "request_approval");
    }
}
