package dev.relay.onboarding;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** The onboarding flow's event types and steps, named once. */
public final class Onboarding {

    public static final String SIGNUP = "customer.signup";
    public static final String WELCOME_EMAIL_SENT = "welcome.email.sent";
    public static final String WORKSPACE_PROVISIONED = "workspace.provisioned";
    public static final String CRM_CONTACT_CREATED = "crm.contact.created";
    public static final String SALES_NOTIFIED = "sales.notified";
    public static final String COMPLETE = "onboarding.complete";
    public static final String STUCK = "onboarding.stuck";
    public static final String DEADLINE_REACHED = "onboarding.deadline.reached";

    /** Each completion event and the step (the agent's id) it reports. */
    public static final Map<String, String> STEP_OF = Map.of(
            WELCOME_EMAIL_SENT, "welcome-email",
            WORKSPACE_PROVISIONED, "provisioning",
            CRM_CONTACT_CREATED, "crm",
            SALES_NOTIFIED, "sales-notifier");

    private Onboarding() {}

    /** An id derived from what it is for, so a redelivered event writes to the same key. */
    static String derivedId(String kind, String signupId) {
        return UUID.nameUUIDFromBytes((kind + "\n" + signupId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": required in the model's answer");
        }
    }
}
