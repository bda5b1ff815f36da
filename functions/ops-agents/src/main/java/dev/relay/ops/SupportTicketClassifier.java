package dev.relay.ops;

import dev.relay.core.agent.EventData;

import static dev.relay.core.agent.EventData.optionalText;
import static dev.relay.core.agent.EventData.requiredText;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.Set;

/**
 * {@code support.ticket.created}: the ticket is classified (category, priority, the customer's sentiment) and a
 * first response suggested for the support engineer ({@code support.ticket.classified}).
 */
public final class SupportTicketClassifier implements Agent {

    static final String ROLE = """
            You are a support triage agent. Classify the support ticket by category, priority and the customer's \
            sentiment, and suggest a first response for the support engineer to review and send.""";

    public enum Category {
        BUG, OUTAGE, ACCOUNT_ACCESS, BILLING, FEATURE_REQUEST, HOW_TO, OTHER;

        @JsonCreator
        static Category fromModel(String name) {
            return ModelChoice.named(Category.class, "category", name);
        }
    }

    public enum Priority {
        URGENT, HIGH, NORMAL, LOW;

        @JsonCreator
        static Priority fromModel(String name) {
            return ModelChoice.named(Priority.class, "priority", name);
        }
    }

    public enum Sentiment {
        POSITIVE, NEUTRAL, FRUSTRATED, ANGRY;

        @JsonCreator
        static Sentiment fromModel(String name) {
            return ModelChoice.named(Sentiment.class, "sentiment", name);
        }
    }

    public record Classification(
            @JsonPropertyDescription("what kind of problem or request the ticket is") Category category,
            @JsonPropertyDescription("urgent when customers are blocked in production, low when nothing is blocked") Priority priority,
            @JsonPropertyDescription("the customer's mood as the ticket reads") Sentiment sentiment,
            @JsonPropertyDescription("a first response for the support engineer to review and send") String suggestedResponse) {

        public Classification {
            ModelChoice.required(category, "category");
            ModelChoice.required(priority, "priority");
            ModelChoice.required(sentiment, "sentiment");
        }
    }

    @Override
    public String id() {
        return "support-ticket-classifier";
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("support.ticket.created");
    }

    @Override
    public Set<String> actions() {
        return Set.of("classified");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of("support.ticket.classified");
    }

    @Override
    public Outcome handle(Envelope event, AgentContext context) {
        ObjectNode ticket = event.data();
        String ticketId = requiredText(ticket, "ticket_id");
        requiredText(ticket, "title");
        requiredText(ticket, "description");
        String customer = optionalText(ticket, "customer");
        Classification classification = context.model()
                .decide(EventData.prompt(ROLE, "Classify this support ticket:", ticket), Classification.class).value();
        return Outcome.of(Decision.of("classified", classification),
                FollowUp.of("support.ticket.classified", new Classified(ticketId, customer, classification)));
    }

    record Classified(String ticketId, String customer, Classification classification) {}
}
