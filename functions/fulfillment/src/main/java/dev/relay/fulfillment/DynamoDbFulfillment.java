package dev.relay.fulfillment;

import dev.relay.core.Environment;
import dev.relay.core.aws.DynamoDbItems;
import dev.relay.core.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The saga's side effects in DynamoDB: the payments ledger (one {@code charge} and at most one {@code refund} entry
 * per order, so the net is zero after a rollback), inventory (stock per SKU, changed only in transactions with the
 * order's reservation item, with {@code stock >= quantity} conditions: never negative), shipments and pending
 * approvals. Every write is conditional, so repeating a step or a compensation changes nothing.
 */
public final class DynamoDbFulfillment implements Fulfillment.Ledger, Fulfillment.Inventory, Fulfillment.Shipments,
        Fulfillment.Approvals {

    /** The table names: {@code LEDGER_TABLE}, {@code INVENTORY_TABLE}, {@code SHIPMENTS_TABLE}, {@code APPROVALS_TABLE}. */
    public record Tables(String ledger, String inventory, String shipments, String approvals) {

        public static Tables from(Environment env) {
            return new Tables(env.required("LEDGER_TABLE"), env.required("INVENTORY_TABLE"),
                    env.required("SHIPMENTS_TABLE"), env.required("APPROVALS_TABLE"));
        }
    }

    static final String RESERVATION = "reservation#";

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;

    public DynamoDbFulfillment(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    @Override
    public String charge(Order order) {
        String chargeId = "ch_" + order.orderId();
        DynamoDbItems.putIfAbsent(dynamo, tables.ledger(), Map.of("order_id", s(order.orderId()),
                "entry", s("charge"),
                "amount_minor", n(order.amountMinor()), "currency", s(order.currency()), "reference", s(chargeId),
                "at", s(clock.instant().toString())), "entry");
        return chargeId;
    }

    @Override
    public String refund(Order order) {
        Map<String, AttributeValue> charge = dynamo.getItem(b -> b.tableName(tables.ledger()).consistentRead(true)
                .key(Map.of("order_id", s(order.orderId()), "entry", s("charge")))).item();
        if (charge == null || charge.isEmpty()) {
            return null;
        }
        String refundId = "re_" + order.orderId();
        DynamoDbItems.putIfAbsent(dynamo, tables.ledger(), Map.of("order_id", s(order.orderId()),
                "entry", s("refund"),
                "amount_minor", n(-Long.parseLong(charge.get("amount_minor").n())), "currency", charge.get("currency"),
                "reference", s(refundId), "at", s(clock.instant().toString())), "entry");
        return refundId;
    }

    @Override
    public String reserve(Order order) {
        String reservation = RESERVATION + order.orderId();
        List<TransactWriteItem> writes = new ArrayList<>();
        for (Order.Item item : order.items()) {
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(tables.inventory())
                    .key(Map.of("id", s(item.sku())))
                    .updateExpression("SET stock = stock - :q")
                    .conditionExpression("stock >= :q")
                    .expressionAttributeValues(Map.of(":q", n(item.quantity())))).build());
        }
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(tables.inventory())
                .item(Map.of("id", s(reservation), "status", s("reserved"), "items", s(Json.write(order.items())),
                        "at", s(clock.instant().toString())))
                .conditionExpression("attribute_not_exists(id)")).build());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return reservation;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.getLast() != null && "ConditionalCheckFailed".equals(reasons.getLast().code())) {
                return reservation; // reserved before: this is a repeat
            }
            for (int i = 0; i < order.items().size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    throw new PermanentStepFailure("out of stock: " + order.items().get(i).sku() + " (wanted "
                            + order.items().get(i).quantity() + ")");
                }
            }
            throw new TransientStepFailure("inventory busy, try again: " + e.getMessage());
        }
    }

    @Override
    public boolean release(Order order) {
        String reservation = RESERVATION + order.orderId();
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(tables.inventory()).key(Map.of("id", s(reservation)))
                .updateExpression("SET #st = :released").conditionExpression("#st = :reserved")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":released", s("released"), ":reserved", s("reserved")))).build());
        for (Order.Item item : order.items()) {
            writes.add(TransactWriteItem.builder().update(u -> u.tableName(tables.inventory()).key(Map.of("id", s(item.sku())))
                    .updateExpression("ADD stock :q").expressionAttributeValues(Map.of(":q", n(item.quantity())))).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            if ("ConditionalCheckFailed".equals(e.cancellationReasons().getFirst().code())) {
                return false; // never reserved, or released before
            }
            throw new TransientStepFailure("inventory busy, try again: " + e.getMessage());
        }
    }

    @Override
    public String schedule(Order order) {
        String shipmentId = "sh_" + order.orderId();
        DynamoDbItems.putIfAbsent(dynamo, tables.shipments(), Map.of("order_id", s(order.orderId()),
                "shipment_id", s(shipmentId),
                "status", s("scheduled"), "at", s(clock.instant().toString())), "order_id");
        return shipmentId;
    }

    @Override
    public boolean cancel(Order order) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.shipments()).key(Map.of("order_id", s(order.orderId())))
                    .updateExpression("SET #st = :cancelled").conditionExpression("#st = :scheduled")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Map.of(":cancelled", s("cancelled"), ":scheduled", s("scheduled"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void awaiting(Order order, String taskToken) {
        dynamo.putItem(b -> b.tableName(tables.approvals()).item(Map.of("order_id", s(order.orderId()),
                "task_token", s(taskToken), "requested_at", s(clock.instant().toString()))));
    }

    /** The task token waiting for a person's decision on an order, if any ({@code relay saga approve|deny}). */
    public Optional<String> pendingApproval(String orderId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.approvals()).consistentRead(true)
                .key(Map.of("order_id", s(orderId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("task_token").s());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
