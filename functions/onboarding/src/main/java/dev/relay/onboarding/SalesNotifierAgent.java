package dev.relay.onboarding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.relay.core.Json;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.EventData;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.Locale;
import java.util.Set;

/** Summarises the signup for the sales team with the model and posts it to their channel → {@code sales.notified}. */
public final class SalesNotifierAgent extends SignupAgent {

    static final String ROLE = """
            You brief a B2B sales team on a new signup: who signed up, for which plan, how well they fit a sales \
            conversation (low, medium or high), and the one next step a salesperson should take.""";
    static final String CHANNEL = "#sales-signups";

    public enum Fit { LOW, MEDIUM, HIGH }

    public record SalesBrief(
            @JsonPropertyDescription("two sentences for the sales channel") String summary,
            @JsonPropertyDescription("low, medium or high") Fit fit,
            @JsonPropertyDescription("the next step for a salesperson") String nextStep) {}

    private final Ports.Outbox outbox;

    public SalesNotifierAgent(Ports.Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public String id() {
        return "sales-notifier";
    }

    @Override
    public Set<String> actions() {
        return Set.of("sales_notified");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of(Onboarding.SALES_NOTIFIED);
    }

    @Override
    Outcome handle(Signup signup, Envelope event, AgentContext context) {
        SalesBrief brief = context.model().decide(EventData.prompt(ROLE, "Brief the sales team on this signup.",
                event.data()).as("sales.brief.written"), SalesBrief.class).value();
        Onboarding.requireText(brief.summary(), "summary");
        if (brief.fit() == null) {
            throw new IllegalArgumentException("fit: required in the model's answer");
        }
        String messageId = Onboarding.derivedId("sales-notifier", signup.signupId());
        outbox.send(new Ports.OutboundMessage(messageId, "chat", CHANNEL,
                "New " + signup.plan() + " signup: " + signup.name(), brief.summary() + "\nNext: " + brief.nextStep(),
                event.correlationId()));
        return Outcome.of(Decision.of("sales_notified", brief),
                FollowUp.of(Onboarding.SALES_NOTIFIED, Json.object().put("signup_id", signup.signupId())
                        .put("user_id", signup.userId()).put("fit", brief.fit().name().toLowerCase(Locale.ROOT))
                        .put("message_id", messageId)));
    }
}
