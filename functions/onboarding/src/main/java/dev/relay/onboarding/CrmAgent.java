package dev.relay.onboarding;

import dev.relay.core.Json;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.Set;

/** Records the new customer as a CRM contact → {@code crm.contact.created}. No model call. */
public final class CrmAgent extends SignupAgent {

    private final Ports.CrmContacts contacts;

    public CrmAgent(Ports.CrmContacts contacts) {
        this.contacts = contacts;
    }

    @Override
    public String id() {
        return "crm";
    }

    @Override
    public Set<String> actions() {
        return Set.of("contact_created", "contact_existed");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of(Onboarding.CRM_CONTACT_CREATED);
    }

    @Override
    Outcome handle(Signup signup, Envelope event, AgentContext context) {
        boolean created = contacts.record(new Ports.Contact(signup.email(), signup.name(), signup.company(), signup.plan(),
                signup.signupId()));
        var contact = Json.object().put("signup_id", signup.signupId()).put("user_id", signup.userId())
                .put("email", signup.email()).put("name", signup.name()).put("company", signup.company());
        return Outcome.of(Decision.of(created ? "contact_created" : "contact_existed", contact),
                FollowUp.of(Onboarding.CRM_CONTACT_CREATED, contact));
    }
}
