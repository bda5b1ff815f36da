package dev.relay.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.agent.Router;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.LocalDynamo;
import dev.relay.core.audit.RecordKind;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.retry.Backoff;
import dev.relay.core.worker.AgentPipeline;
import dev.relay.offline.OfflineModelServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The saga's steps through the real handler (the state machine's task payloads in, decision details out) against
 * tables on DynamoDB Local, the audit trail, and the offline model for the risk review.
 */
class FulfillmentFunctionTest {

    private static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final DynamoDbFulfillment.Tables tables = new DynamoDbFulfillment.Tables(
            table("ledger-" + suffix, "order_id", "entry"), table("inventory-" + suffix, "id", null),
            table("shipments-" + suffix, "order_id", null), table("approvals-" + suffix, "order_id", null));
    private final DynamoDbFulfillment store = new DynamoDbFulfillment(dynamo, tables, Clock.systemUTC());
    private final AuditTrail trail = new AuditTrail(LocalDynamo.freshTables(dynamo));
    private final List<Envelope> published = new CopyOnWriteArrayList<>();
    private final OfflineModelServer model = OfflineModelServer.start(0);
    private final LlmGateway gateway = new LlmGateway(LlmSettings.of("gpt-4o-mini", model.baseUrl(), Duration.ofSeconds(5), 2,
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1))));
    private final FulfillmentFunction function = new FulfillmentFunction(new AgentPipeline(
            new Router(OrderSaga.steps(store, store, store, store), gateway, FulfillmentFunction.SOURCE), trail, published::addAll));

    @AfterEach
    void close() {
        gateway.close();
        model.close();
    }

    private ObjectNode order(String simulate) throws IOException {
        ObjectNode order = (ObjectNode) Json.MAPPER.readTree(Files.readString(EVENTS.resolve("messages/order-placed.json")))
                .get("payload");
        if (simulate != null) {
            order.set("simulate", Json.MAPPER.readTree(simulate));
        }
        return order;
    }

    private JsonNode run(String step, ObjectNode order, Map<String, Object> extra) throws IOException {
        ObjectNode payload = Json.object().put("step", step).put("correlation_id", "flow-1").put("order_event_id", "evt-1");
        payload.set("order", order);
        extra.forEach((k, v) -> payload.set(k, Json.tree(v)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.write(payload).getBytes()), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    private void stock(String sku, int units) {
        dynamo.putItem(b -> b.tableName(tables.inventory()).item(Map.of("id", AttributeValue.fromS(sku),
                "stock", AttributeValue.fromN(Integer.toString(units)))));
    }

    private int stockOf(String sku) {
        return Integer.parseInt(dynamo.getItem(b -> b.tableName(tables.inventory()).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(sku)))).item().get("stock").n());
    }

    private long ledgerNet(String orderId) {
        return dynamo.query(b -> b.tableName(tables.ledger()).keyConditionExpression("order_id = :o")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(orderId)))).items().stream()
                .mapToLong(i -> Long.parseLong(i.get("amount_minor").n())).sum();
    }

    @Test
    void theHappyPathChargesReservesShipsAndPublishesOrderFulfilled() throws IOException {
        stock("BOOK-001", 5);
        ObjectNode order = order(null);

        JsonNode charge = run("charge_card", order, Map.of());
        run("charge_card", order, Map.of()); // a retried step: charged once
        JsonNode reservation = run("reserve_inventory", order, Map.of());
        JsonNode shipment = run("schedule_shipping", order, Map.of());
        run("confirm_order", order, Map.of("charge", charge, "shipping", shipment));

        assertThat(charge.get("charge_id").asText()).isEqualTo("ch_ord_1001");
        assertThat(charge.get("amount").asText()).isEqualTo("49.00");
        assertThat(ledgerNet("ord_1001")).isEqualTo(4900);
        assertThat(reservation.get("reservation_id").asText()).isEqualTo("reservation#ord_1001");
        assertThat(stockOf("BOOK-001")).isEqualTo(3);
        assertThat(published).singleElement().satisfies(fulfilled -> {
            assertThat(fulfilled.type()).isEqualTo("order.fulfilled");
            assertThat(fulfilled.correlationId()).isEqualTo("flow-1");
            assertThat(fulfilled.data().get("shipment_id").asText()).isEqualTo("sh_ord_1001");
        });
        assertThat(trail.stream("flow-1")).filteredOn(r -> r.kind() == RecordKind.DECISION).extracting(AuditRecord::agentId)
                .containsExactly("charge-card", "reserve-inventory", "schedule-shipping", "confirm-order");
    }

    @Test
    void compensationsUndoOnceAndLeaveTheLedgerAtZeroAndStockUnchanged() throws IOException {
        stock("BOOK-001", 5);
        ObjectNode order = order(null);
        run("charge_card", order, Map.of());
        run("reserve_inventory", order, Map.of());

        run("release_inventory", order, Map.of());
        run("release_inventory", order, Map.of());
        JsonNode refund = run("refund_card", order, Map.of());
        run("refund_card", order, Map.of());

        assertThat(refund.get("refund_id").asText()).isEqualTo("re_ord_1001");
        assertThat(ledgerNet("ord_1001")).isZero();
        assertThat(stockOf("BOOK-001")).isEqualTo(5);
    }

    @Test
    void undoingWhatWasNeverDoneIsANoOp() throws IOException {
        stock("BOOK-001", 5);
        ObjectNode order = order(null);

        assertThat(run("refund_card", order, Map.of()).get("refund_id").isNull()).isTrue();
        run("release_inventory", order, Map.of());
        run("cancel_shipping", order, Map.of());

        assertThat(stockOf("BOOK-001")).isEqualTo(5);
        assertThat(ledgerNet("ord_1001")).isZero();
    }

    @Test
    void stockNeverGoesNegative() throws IOException {
        stock("BOOK-001", 1);

        assertThatThrownBy(() -> run("reserve_inventory", order(null), Map.of()))
                .isInstanceOf(PermanentStepFailure.class).hasMessage("out of stock: BOOK-001 (wanted 2)");
        assertThat(stockOf("BOOK-001")).isEqualTo(1);
    }

    @Test
    void aSimulatedCarrierTimeoutIsATransientFailure() throws IOException {
        assertThatThrownBy(() -> run("schedule_shipping", order("{\"shipping\":\"timeout\"}"), Map.of()))
                .isInstanceOf(TransientStepFailure.class).hasMessage("Carrier API timeout");
        assertThatThrownBy(() -> run("charge_card", order("{\"payment\":\"declined\"}"), Map.of()))
                .isInstanceOf(PermanentStepFailure.class).hasMessage("simulated payment failure: declined");
        assertThat(ledgerNet("ord_1001")).isZero();
    }

    @Test
    void theRiskReviewDecidesWithTheModelAndRecordsTheCall() throws IOException {
        JsonNode risk = run("risk_review", order("{\"risk_review\":\"needs_human\"}"), Map.of());

        assertThat(risk.get("decision").asText()).isEqualTo("needs_human");
        assertThat(risk.get("score").asInt()).isBetween(0, 100);
        assertThat(trail.stream("flow-1")).filteredOn(r -> r.kind() == RecordKind.LLM_CALL)
                .singleElement().extracting(AuditRecord::eventType).isEqualTo("order.risk.scored");
        assertThat(model.chatCompletionCount()).isEqualTo(1);
    }

    @Test
    void anApprovalRequestKeepsTheTokenAndPublishesIt() throws IOException {
        run("request_approval", order(null), Map.of("task_token", "token-123", "reasons", List.of("new customer")));

        assertThat(store.pendingApproval("ord_1001")).contains("token-123");
        assertThat(published).singleElement().satisfies(request -> {
            assertThat(request.type()).isEqualTo("order.approval.requested");
            assertThat(request.data().get("task_token").asText()).isEqualTo("token-123");
            assertThat(request.data().at("/reasons/0").asText()).isEqualTo("new customer");
        });
    }

    @Test
    void theRollbackIsPublishedWithTheFailingStepAndCause() throws IOException {
        run("publish_rollback", order(null), Map.of("failed_step", "ScheduleShipping",
                "failure", Map.of("Error", "dev.relay.fulfillment.TransientStepFailure", "Cause",
                        "{\"errorMessage\":\"Carrier API timeout\",\"errorType\":\"dev.relay.fulfillment.TransientStepFailure\"}"),
                "compensations", Map.of("release_inventory", Map.of(), "refund_card", Map.of())));

        assertThat(published).singleElement().satisfies(rolledBack -> {
            assertThat(rolledBack.type()).isEqualTo("order.rolled_back");
            assertThat(rolledBack.data().get("status").asText()).isEqualTo("rolled back");
            assertThat(rolledBack.data().get("summary").asText())
                    .isEqualTo("rolled back: ScheduleShipping failed (Carrier API timeout)");
        });
    }

    @Test
    void theStarterNamesTheExecutionAfterTheEventAndRefusesNamesStepFunctionsWouldNot() throws IOException {
        List<String> started = new CopyOnWriteArrayList<>();
        SagaStarter starter = new SagaStarter((name, input) -> {
            started.add(name + " " + input.get("approval_timeout_seconds") + " " + input.at("/order/order_id").asText());
            return "arn:aws:states:us-east-1:000000000000:execution:saga:" + name;
        }, Duration.ofMinutes(5));
        Envelope placed = Envelope.parse(Files.readString(EVENTS.resolve("messages/order-placed.json")));

        starter.handle(placed, null);

        assertThat(started).containsExactly(placed.id() + " 300 ord_1001");
        Envelope badName = Envelope.parse("""
                {"event_type":"order.placed","event_id":"order:1/2","payload":%s}""".formatted(Json.write(placed.data())));
        assertThatThrownBy(() -> starter.handle(badName, null)).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("id: 'order:1/2' cannot name a saga execution");
    }

    private String table(String name, String hash, String range) {
        dynamo.createTable(b -> {
            b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            if (range == null) {
                b.attributeDefinitions(a -> a.attributeName(hash).attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName(hash).keyType(KeyType.HASH));
            } else {
                b.attributeDefinitions(a -> a.attributeName(hash).attributeType(ScalarAttributeType.S),
                                a -> a.attributeName(range).attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName(hash).keyType(KeyType.HASH),
                                k -> k.attributeName(range).keyType(KeyType.RANGE));
            }
        });
        return name;
    }
}
