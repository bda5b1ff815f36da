package dev.relay.fulfillment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.EventData;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.List;
import java.util.Locale;

/** The saga's first step: the model scores the order and approves, rejects, or asks for a person. */
final class RiskReviewer {

    static final String ROLE = """
            You are an e-commerce risk analyst. Score the order's fraud and credit risk from 0 (none) to 100, then \
            decide: approve, reject, or needs_human when a person should look before the card is charged. Give the \
            reasons behind the decision.""";

    public enum Verdict { APPROVE, REJECT, NEEDS_HUMAN }

    public record RiskAssessment(
            @JsonPropertyDescription("approve, reject or needs_human") Verdict decision,
            @JsonPropertyDescription("risk score from 0 to 100") int score,
            @JsonPropertyDescription("the reasons behind the decision") List<String> reasons) {}

    private RiskReviewer() {}

    static Outcome review(Order order, Envelope task, AgentContext context) {
        String request = "Review this order." + demonstrationNote(order);
        RiskAssessment risk = context.model().decide(EventData.prompt(ROLE, request, (ObjectNode) task.data().get("order"))
                .as("order.risk.scored"), RiskAssessment.class).value();
        if (risk.decision() == null) {
            throw new IllegalArgumentException("decision: required in the model's answer");
        }
        String decision = risk.decision().name().toLowerCase(Locale.ROOT);
        var details = Json.object().put("decision", decision).put("score", Math.clamp(risk.score(), 0, 100));
        var reasons = details.putArray("reasons");
        (risk.reasons() == null ? List.<String>of() : risk.reasons()).forEach(reasons::add);
        return Outcome.of(Decision.of("order.risk.reviewed", decision, details));
    }

    /** Sample orders may ask for a decision ({@code "simulate": {"risk_review": "needs_human"}}), to demonstrate it. */
    private static String demonstrationNote(Order order) {
        String wanted = order.simulate().get("risk_review");
        return wanted == null ? "" : "\nFor this demonstration the expected answer is decision: " + wanted + ".";
    }
}
