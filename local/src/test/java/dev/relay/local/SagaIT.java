package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.embedded.LocalPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Pattern 4 on the repository's template, in the local cloud with an accelerated clock: order.placed → orders-queue →
 * SagaStarterFunction → the order-fulfilment state machine, whose every task is the real FulfillmentFunction JVM
 * acting on the ledger, inventory and shipments tables.
 */
class SagaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:relay-events";
    private static final String MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:relay-order-fulfillment";
    private static final String COMPENSATIONS = "cancel_shipping|release_inventory|refund_card";

    private static LocalCloud cloud;
    private static SqsClient sqs;
    private static SnsClient sns;
    private static SfnClient sfn;
    private static DynamoDbClient dynamo;
    private static String observer;
    private static final Map<String, List<JsonNode>> seen = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        int edge = LocalPorts.free();
        cloud = LocalCloud.start(LocalCloudOptions.defaults(Path.of("..", "template.yaml")).withPorts(edge, LocalPorts.free())
                .withParameterOverrides(Map.of("OpenAiBaseUrl", "http://127.0.0.1:" + edge + "/v1",
                        "ApprovalTimeoutSeconds", "120"))
                .withParameters(Map.of("/relay/openai-api-key", "sk-local-test"))
                .withTimeScale(200));
        sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
        sns = Clients.of(SnsClient.builder(), cloud.edgeUrl());
        sfn = Clients.of(SfnClient.builder(), cloud.edgeUrl());
        dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl());
        observer = sqs.createQueue(b -> b.queueName("saga-watch")).queueUrl();
        sns.subscribe(b -> b.topicArn(TOPIC).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:saga-watch")
                .attributes(Map.of("RawMessageDelivery", "true")));
        // the stock the samples need, from the file the README tells operators to load
        JsonNode seed = JSON.readTree(Files.readString(Path.of("..", "events", "inventory.json"))).get("relay-inventory");
        for (JsonNode put : seed) {
            dynamo.putItem(b -> b.tableName("relay-inventory").item(Map.of(
                    "id", AttributeValue.fromS(put.at("/PutRequest/Item/id/S").asText()),
                    "stock", AttributeValue.fromN(put.at("/PutRequest/Item/stock/N").asText()))));
        }
    }

    @AfterAll
    static void stop() {
        sqs.close();
        sns.close();
        sfn.close();
        dynamo.close();
        cloud.close();
    }

    @Test
    void theHappyPathChargesReservesShipsAndPublishesOrderFulfilled() throws Exception {
        int stockBefore = stock("BOOK-001");
        ObjectNode order = order("ord_ok_1", null);

        publish("evt-ord-ok-1", order);
        publish("evt-ord-ok-1", order); // redelivered / published twice: still one saga

        DescribeExecutionResponse execution = finished("evt-ord-ok-1");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        awaitEvent("evt-ord-ok-1", "order.fulfilled");
        assertThat(ledgerNet("ord_ok_1")).isEqualTo(4900);
        assertThat(stock("BOOK-001")).isEqualTo(stockBefore - 2);
        assertThat(dynamo.getItem(b -> b.tableName("relay-shipments").key(Map.of("order_id", AttributeValue.fromS("ord_ok_1"))))
                .item().get("status").s()).isEqualTo("scheduled");
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(MACHINE)).executions())
                .filteredOn(e -> e.name().equals("evt-ord-ok-1")).hasSize(1);
        Thread.sleep(500);
        assertThat(events("evt-ord-ok-1", "order.fulfilled")).hasSize(1);
    }

    @ParameterizedTest(name = "{0} fails")
    @CsvSource({
            "payment,   ChargeCard,       ''",
            "inventory, ReserveInventory, refund_card",
            "shipping,  ScheduleShipping, release_inventory|refund_card",
            "confirm,   ConfirmOrder,     cancel_shipping|release_inventory|refund_card"})
    void aFailureAtEachStepUndoesExactlyTheStepsBeforeItOnceInReverse(String point, String step, String compensations)
            throws Exception {
        int stockBefore = stock("BOOK-001");
        String id = "evt-ord-fail-" + point;
        publish(id, order("ord_fail_" + point, "{\"" + point + "\":\"declined\"}"));

        DescribeExecutionResponse execution = finished(id);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("OrderRolledBack");
        JsonNode rolledBack = awaitEvent(id, "order.rolled_back");
        assertThat(rolledBack.at("/data/failed_step").asText()).isEqualTo(step);
        assertThat(ledgerNet("ord_fail_" + point)).isZero();
        assertThat(stock("BOOK-001")).isEqualTo(stockBefore);
        List<String> undone = compensationsRun(id);
        assertThat(undone).containsExactly(compensations.isEmpty() ? new String[0] : compensations.split("\\|"));
    }

    @Test
    void theSeedsExample_carrierTimeoutReleasesInventoryRefundsTheCardAndRollsBack() throws Exception {
        publish("evt-ord-seed", order("ord_seed", "{\"shipping\":\"timeout\"}"));

        DescribeExecutionResponse execution = finished("evt-ord-seed");
        assertThat(execution.cause()).isEqualTo("rolled back: ScheduleShipping failed (Carrier API timeout)");
        assertThat(compensationsRun("evt-ord-seed")).containsExactly("release_inventory", "refund_card");
        assertThat(stepsScheduled("evt-ord-seed").stream().filter("schedule_shipping"::equals)).as("1 try + 3 retries")
                .hasSize(4);
        assertThat(awaitEvent("evt-ord-seed", "order.rolled_back").at("/data/status").asText()).isEqualTo("rolled back");
    }

    @Test
    void aCompensationThatKeepsFailingLandsInTheCompensationDlq() throws Exception {
        publish("evt-ord-comp", order("ord_comp", "{\"shipping\":\"declined\",\"refund\":\"error\"}"));

        DescribeExecutionResponse execution = finished("evt-ord-comp");
        assertThat(execution.error()).isEqualTo("CompensationFailed");
        String dlq = sqs.getQueueUrl(b -> b.queueName("relay-compensation-dlq")).queueUrl();
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2).maxNumberOfMessages(10)).messages();
        assertThat(dead).anySatisfy(m -> {
            JsonNode body = JSON.readTree(m.body());
            assertThat(body.at("/order/order_id").asText()).isEqualTo("ord_comp");
            assertThat(body.get("failed_step").asText()).isEqualTo("ScheduleShipping");
            assertThat(body.at("/compensation_failure/Error").asText()).isEqualTo("dev.relay.fulfillment.PermanentStepFailure");
        });
    }

    @Test
    void anOrderForAPersonContinuesOnApprovalAndIsRejectedOnDenial() throws Exception {
        publish("evt-ord-approve", order("ord_approve", "{\"risk_review\":\"needs_human\"}"));
        publish("evt-ord-deny", order("ord_deny", "{\"risk_review\":\"needs_human\"}"));

        String approveToken = awaitEvent("evt-ord-approve", "order.approval.requested").at("/data/task_token").asText();
        String denyToken = awaitEvent("evt-ord-deny", "order.approval.requested").at("/data/task_token").asText();
        sfn.sendTaskSuccess(b -> b.taskToken(approveToken).output("{\"approved\":true,\"by\":\"ops@example.com\"}"));
        sfn.sendTaskFailure(b -> b.taskToken(denyToken).error("OrderDenied").cause("not this one"));

        assertThat(finished("evt-ord-approve").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(awaitEvent("evt-ord-approve", "order.fulfilled")).isNotNull();
        assertThat(finished("evt-ord-deny").error()).isEqualTo("OrderRejected");
        assertThat(ledgerNet("ord_deny")).isZero();
    }

    @Test
    void anOrderNobodyAnswersInTimeIsRejected() throws Exception {
        // the input the starter builds, with a short approval window (the template's is ApprovalTimeoutSeconds)
        ObjectNode input = JSON.createObjectNode().put("correlation_id", "evt-ord-silent").put("order_event_id", "evt-ord-silent")
                .put("approval_timeout_seconds", 2);
        input.set("order", order("ord_silent", "{\"risk_review\":\"needs_human\"}"));
        sfn.startExecution(b -> b.stateMachineArn(MACHINE).name("evt-ord-silent").input(input.toString()));

        DescribeExecutionResponse execution = finished("evt-ord-silent");
        assertThat(execution.error()).isEqualTo("OrderRejected");
        assertThat(ledgerNet("ord_silent")).isZero();
    }

    private static ObjectNode order(String orderId, String simulate) throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(Files.readString(Path.of("..", "events", "messages", "order-placed.json")))
                .get("payload").deepCopy();
        order.put("order_id", orderId);
        ObjectNode knobs = simulate == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(simulate);
        knobs.putIfAbsent("risk_review", JSON.getNodeFactory().textNode("approve"));
        order.set("simulate", knobs);
        return order;
    }

    private static void publish(String eventId, ObjectNode order) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("event_type", "order.placed").put("event_id", eventId);
        event.set("payload", order);
        sns.publish(b -> b.topicArn(TOPIC).message(event.toString()).messageAttributes(Map.of("type",
                MessageAttributeValue.builder().dataType("String").stringValue("order.placed").build())));
    }

    private static DescribeExecutionResponse finished(String name) throws InterruptedException {
        String arn = MACHINE.replace(":stateMachine:", ":execution:") + ":" + name;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(arn));
                if (execution.status() != ExecutionStatus.RUNNING) {
                    return execution;
                }
            } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException notYet) {
                // the starter has not run yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("execution " + name + " did not finish");
    }

    private static List<HistoryEvent> history(String name) {
        return sfn.getExecutionHistory(b -> b.executionArn(MACHINE.replace(":stateMachine:", ":execution:") + ":" + name)
                .maxResults(1000)).events();
    }

    /** The compensation steps the execution ran, in order. */
    private static List<String> compensationsRun(String name) {
        return stepsScheduled(name).stream().filter(COMPENSATIONS::contains).toList();
    }

    /** Every task the execution scheduled (retries included), by the step its payload names. */
    private static List<String> stepsScheduled(String name) {
        List<String> steps = new ArrayList<>();
        for (HistoryEvent event : history(name)) {
            if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                try {
                    steps.add(JSON.readTree(event.taskScheduledEventDetails().parameters()).at("/Payload/step").asText());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return steps;
    }

    private static JsonNode awaitEvent(String flow, String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = events(flow, type);
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            drain();
        }
        throw new AssertionError("no " + type + " in flow " + flow + "; seen: " + seen.getOrDefault(flow, List.of()));
    }

    private static List<JsonNode> events(String flow, String type) throws Exception {
        drain();
        return seen.getOrDefault(flow, List.of()).stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    private static synchronized void drain() throws Exception {
        for (Message message : sqs.receiveMessage(b -> b.queueUrl(observer).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
            JsonNode event = JSON.readTree(message.body());
            seen.computeIfAbsent(event.path("correlationid").asText(), f -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(event);
            sqs.deleteMessage(b -> b.queueUrl(observer).receiptHandle(message.receiptHandle()));
        }
    }

    private static long ledgerNet(String orderId) {
        return dynamo.query(b -> b.tableName("relay-ledger").keyConditionExpression("order_id = :o")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(orderId)))).items().stream()
                .mapToLong(i -> Long.parseLong(i.get("amount_minor").n())).sum();
    }

    private static int stock(String sku) {
        return Integer.parseInt(dynamo.getItem(b -> b.tableName("relay-inventory").consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(sku)))).item().get("stock").n());
    }
}
