package dev.relay.onboarding;

import dev.relay.core.event.Envelope;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the onboarding agents act on, as plain interfaces: the DynamoDB and SQS adapters implement them at the edge
 * ({@link DynamoDbOnboarding}, {@link SqsDeadlines}), tests run the agents against those adapters on DynamoDB Local
 * and ElasticMQ. Every write is idempotent by key, so a redelivered event changes nothing twice.
 */
public final class Ports {

    private Ports() {}

    /** A message that leaves the system (an email, a sales-channel post), written once per id for a sender to pick up. */
    public record OutboundMessage(String messageId, String channel, String to, String subject, String body,
            String correlationId) {}

    public interface Outbox {
        /** Records the message unless a message with its id exists; returns whether this call recorded it. */
        boolean send(OutboundMessage message);
    }

    public record Workspace(String workspaceId, String signupId, String ownerUserId, Plan plan) {}

    public interface Workspaces {
        /** Creates the workspace unless it exists; returns whether this call created it. */
        boolean provision(Workspace workspace);
    }

    public record Contact(String email, String name, String company, String plan, String signupId) {}

    public interface CrmContacts {
        /** Records the contact unless one with its email exists; returns whether this call recorded it. */
        boolean record(Contact contact);
    }

    /** One signup's onboarding progress: the steps reported so far (a set: a repeat adds nothing). */
    public record Progress(String signupId, Set<String> steps, Instant deadlineAt, Instant stuckAt) {

        public boolean hasAll(Set<String> required) {
            return steps.containsAll(required);
        }
    }

    public interface OnboardingProgress {
        /** Starts the clock for a signup (first call wins; later calls change nothing). */
        void start(String flow, String signupId, Instant deadlineAt, Instant now);

        /** Adds {@code step} atomically and returns the progress right after. */
        Progress recordStep(String flow, String signupId, String step, Instant now);

        Optional<Progress> get(String flow);

        /** Marks a signup stuck unless it has every required step or was reported before; whether this call did. */
        boolean markStuck(String flow, Set<String> required, Instant now);
    }

    public interface Deadlines {
        /** Asks for an {@code onboarding.deadline.reached} event caused by {@code cause}, at {@code at} (or soon before). */
        void schedule(Envelope cause, String signupId, Instant at);
    }

    public interface Alarms {
        /** A signup missed its deadline (a metric, alongside the {@code onboarding.stuck} event). */
        void stuck(String signupId);
    }
}
