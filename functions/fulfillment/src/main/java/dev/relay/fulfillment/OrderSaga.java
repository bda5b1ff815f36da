package dev.relay.fulfillment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.EventData;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The order-fulfilment saga's steps, each next to the compensation that undoes it, as the business names them. The
 * order and the compensation chain live in statemachines/order-fulfillment.asl.json; this is what each state does.
 */
public final class OrderSaga {

    public static final String FULFILLED = "order.fulfilled";
    public static final String ROLLED_BACK = "order.rolled_back";
    public static final String APPROVAL_REQUESTED = "order.approval.requested";

    private OrderSaga() {}

    public static List<Agent> steps(Fulfillment.Ledger ledger, Fulfillment.Inventory inventory,
            Fulfillment.Shipments shipments, Fulfillment.Approvals approvals) {
        return List.of(
                new SagaStep("risk_review", Set.of("approve", "reject", "needs_human"), Set.of(), RiskReviewer::review),
                new SagaStep("request_approval", Set.of("approval_requested"), Set.of(APPROVAL_REQUESTED),
                        (order, task, ctx) -> {
                    String token = EventData.requiredText(task.data(), "task_token");
                    approvals.awaiting(order, token);
                    ObjectNode request = result(order).put("task_token", token);
                    request.set("reasons", task.data().path("reasons"));
                    return Outcome.of(Decision.of("approval_requested", result(order)),
                            FollowUp.of(APPROVAL_REQUESTED, request));
                }),

                new SagaStep("charge_card", Set.of("charged"), Set.of(), (order, task, ctx) -> {
                    StepFailure.simulated(order, "payment", "Payment gateway timeout");
                    return done("charged", result(order).put("charge_id", ledger.charge(order))
                            .put("amount", order.amount().toPlainString()).put("currency", order.currency()));
                }),
                new SagaStep("refund_card", Set.of("refunded", "nothing_to_refund"), Set.of(), (order, task, ctx) -> {
                    StepFailure.simulated(order, "refund", "Payment gateway timeout during refund");
                    String refund = ledger.refund(order);
                    return done(refund == null ? "nothing_to_refund" : "refunded", result(order).put("refund_id", refund));
                }),

                new SagaStep("reserve_inventory", Set.of("reserved"), Set.of(), (order, task, ctx) -> {
                    StepFailure.simulated(order, "inventory", "Inventory service timeout");
                    return done("reserved", result(order).put("reservation_id", inventory.reserve(order)));
                }),
                new SagaStep("release_inventory", Set.of("released", "nothing_to_release"), Set.of(),
                        (order, task, ctx) -> {
                    StepFailure.simulated(order, "release", "Inventory service timeout during release");
                    return done(inventory.release(order) ? "released" : "nothing_to_release", result(order));
                }),

                new SagaStep("schedule_shipping", Set.of("scheduled"), Set.of(), (order, task, ctx) -> {
                    StepFailure.simulated(order, "shipping", "Carrier API timeout");
                    return done("scheduled", result(order).put("shipment_id", shipments.schedule(order)));
                }),
                new SagaStep("cancel_shipping", Set.of("cancelled", "nothing_to_cancel"), Set.of(),
                        (order, task, ctx) -> {
                    StepFailure.simulated(order, "cancel_shipping", "Carrier API timeout during cancellation");
                    return done(shipments.cancel(order) ? "cancelled" : "nothing_to_cancel", result(order));
                }),

                new SagaStep("confirm_order", Set.of("confirmed"), Set.of(FULFILLED), (order, task, ctx) -> {
                    StepFailure.simulated(order, "confirm", "Notification service timeout");
                    ObjectNode fulfilled = result(order).put("amount", order.amount().toPlainString())
                            .put("currency", order.currency());
                    fulfilled.set("charge_id", task.data().at("/charge/charge_id"));
                    fulfilled.set("shipment_id", task.data().at("/shipping/shipment_id"));
                    return Outcome.of(Decision.of("confirmed", fulfilled), FollowUp.of(FULFILLED, fulfilled));
                }),
                new SagaStep("publish_rollback", Set.of("rolled_back"), Set.of(ROLLED_BACK), (order, task, ctx) -> {
                    String failedStep = EventData.requiredText(task.data(), "failed_step");
                    String cause = cause(task.data().path("failure"));
                    ObjectNode rolledBack = result(order).put("status", "rolled back").put("failed_step", failedStep)
                            .put("cause", cause);
                    rolledBack.set("compensations", task.data().path("compensations"));
                    rolledBack.put("summary", "rolled back: " + failedStep + " failed (" + cause + ")");
                    return Outcome.of(Decision.of("rolled_back", rolledBack), FollowUp.of(ROLLED_BACK, rolledBack));
                }));
    }

    /**
     * The failure's cause as a person reads it: Step Functions hands a Lambda error over as the function's error
     * object ({@code {"errorMessage", "errorType", ...}}), whose message is what matters.
     */
    static String cause(JsonNode failure) {
        String cause = failure.path("Cause").asText("");
        if (cause.startsWith("{")) {
            try {
                String message = Json.MAPPER.readTree(cause).path("errorMessage").asText("");
                if (!message.isEmpty()) {
                    return message;
                }
            } catch (Exception notJson) {
                // a plain cause that happens to start with a brace
            }
        }
        return cause.isEmpty() ? failure.path("Error").asText("unknown") : cause;
    }

    private static ObjectNode result(Order order) {
        return Json.object().put("order_id", order.orderId());
    }

    private static Outcome done(String action, ObjectNode result) {
        return Outcome.of(Decision.of(action, result));
    }

    /** The task envelope of a step: one per order and step (its id), in the order's flow. */
    static Envelope task(String step, ObjectNode payload, String correlationId, String orderEventId, String source) {
        String orderId = payload.path("order").path("order_id").asText();
        String id = UUID.nameUUIDFromBytes((orderId + "\n" + step).getBytes(StandardCharsets.UTF_8)).toString();
        return new Envelope(id, source, SagaStep.TYPE_PREFIX + step, Instant.now(), null, payload, correlationId,
                orderEventId, Map.of());
    }
}
