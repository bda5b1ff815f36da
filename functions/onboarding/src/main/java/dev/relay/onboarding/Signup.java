package dev.relay.onboarding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.agent.EventData;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import java.util.regex.Pattern;

/**
 * A {@code customer.signup} as the onboarding agents read it; {@code signupId} is the event's id, the same for all
 * four agents because SNS delivers the one event to each queue.
 */
public record Signup(String signupId, String userId, String email, String name, String company, String plan) {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    public static Signup from(Envelope event) {
        ObjectNode data = event.data();
        String email = EventData.requiredText(data, "email");
        if (!EMAIL.matcher(email).matches()) {
            throw new InvalidEventException("data.email", "'" + email + "' is not an email address");
        }
        return new Signup(event.id(), EventData.requiredText(data, "user_id"), email, EventData.requiredText(data, "name"),
                EventData.optionalText(data, "company"), EventData.requiredText(data, "plan"));
    }
}
