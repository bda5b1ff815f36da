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
 * {@code email.received}: the email is classified (category, urgency, intent) and a reply drafted for a human to
 * review ({@code email.triaged}). Spam is flagged and gets no draft: nobody should answer it.
 */
public final class EmailTriager implements Agent {

    static final String ROLE = """
            You are the email triage agent of a software company's shared inbox. Classify the email by category, \
            urgency and what the sender wants, summarise it in one sentence, and draft a short, polite reply for a \
            human to review before sending. The draft never promises refunds, credits or dates.""";

    public enum Category {
        BILLING, SUPPORT, SALES, PARTNERSHIP, SPAM, OTHER;

        @JsonCreator
        static Category fromModel(String name) {
            return ModelChoice.named(Category.class, "category", name);
        }
    }

    public enum Urgency {
        URGENT, HIGH, NORMAL, LOW;

        @JsonCreator
        static Urgency fromModel(String name) {
            return ModelChoice.named(Urgency.class, "urgency", name);
        }
    }

    public enum Intent {
        QUESTION, ACTION_REQUEST, COMPLAINT, FEEDBACK, FYI;

        @JsonCreator
        static Intent fromModel(String name) {
            return ModelChoice.named(Intent.class, "intent", name);
        }
    }

    public record EmailTriage(
            @JsonPropertyDescription("what the email is about") Category category,
            @JsonPropertyDescription("how soon someone must answer") Urgency urgency,
            @JsonPropertyDescription("what the sender wants: an answer, an action, to complain, to give feedback, or nothing (fyi)") Intent intent,
            @JsonPropertyDescription("one-sentence summary for the inbox") String summary,
            @JsonPropertyDescription("a short, polite reply for a human to review before sending") String draftReply) {

        public EmailTriage {
            ModelChoice.required(category, "category");
            ModelChoice.required(urgency, "urgency");
            ModelChoice.required(intent, "intent");
        }

        EmailTriage withoutDraft() {
            return new EmailTriage(category, urgency, intent, summary, null);
        }
    }

    @Override
    public String id() {
        return "email-triager";
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("email.received");
    }

    @Override
    public Set<String> actions() {
        return Set.of("flagged_spam", "reply_drafted");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of("email.triaged");
    }

    @Override
    public Outcome handle(Envelope event, AgentContext context) {
        ObjectNode email = event.data();
        String from = requiredText(email, "from");
        String subject = requiredText(email, "subject");
        requiredText(email, "body");
        String messageId = optionalText(email, "message_id");
        EmailTriage triage = context.model()
                .decide(EventData.prompt(ROLE, "Triage this email:", email), EmailTriage.class).value();
        if (triage.category() == Category.SPAM) {
            EmailTriage flagged = triage.withoutDraft();
            return Outcome.of(Decision.of("flagged_spam", flagged),
                    FollowUp.of("email.triaged", new Triaged(from, subject, messageId, flagged)));
        }
        return Outcome.of(Decision.of("reply_drafted", triage),
                FollowUp.of("email.triaged", new Triaged(from, subject, messageId, triage)));
    }

    record Triaged(String from, String subject, String messageId, EmailTriage triage) {}
}
