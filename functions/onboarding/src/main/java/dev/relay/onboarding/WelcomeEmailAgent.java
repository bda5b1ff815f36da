package dev.relay.onboarding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.relay.core.Json;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.EventData;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.Set;

/** Writes a personalised welcome email with the model and puts it in the outbox → {@code welcome.email.sent}. */
public final class WelcomeEmailAgent extends SignupAgent {

    static final String ROLE = """
            You write the welcome email for a new customer of a SaaS product: warm, short, personal (use their name, \
            company and plan), with the one next step that gets them started. No promises the plan does not include.""";

    public record WelcomeEmail(
            @JsonPropertyDescription("the email's subject line") String subject,
            @JsonPropertyDescription("the email's plain-text body") String body) {}

    private final Ports.Outbox outbox;

    public WelcomeEmailAgent(Ports.Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public String id() {
        return "welcome-email";
    }

    @Override
    public Set<String> actions() {
        return Set.of("welcome_email_sent");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of(Onboarding.WELCOME_EMAIL_SENT);
    }

    @Override
    Outcome handle(Signup signup, Envelope event, AgentContext context) {
        WelcomeEmail email = context.model().decide(EventData.prompt(ROLE, "Write the welcome email for this signup.",
                event.data()).as("welcome.email.written"), WelcomeEmail.class).value();
        Onboarding.requireText(email.subject(), "subject");
        Onboarding.requireText(email.body(), "body");
        String messageId = Onboarding.derivedId("welcome-email", signup.signupId());
        outbox.send(new Ports.OutboundMessage(messageId, "email", signup.email(), email.subject(), email.body(),
                event.correlationId()));
        return Outcome.of(Decision.of("welcome_email_sent", email),
                FollowUp.of(Onboarding.WELCOME_EMAIL_SENT, Json.object().put("signup_id", signup.signupId())
                        .put("user_id", signup.userId()).put("email", signup.email()).put("message_id", messageId)
                        .put("subject", email.subject())));
    }
}
