package dev.relay.onboarding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.EventData;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watches a signup's onboarding: the signup starts its clock, each completion event adds its step (atomically, in
 * DynamoDB), and a completion that sees the required steps together emits {@code onboarding.complete} — exactly one,
 * however completions race or are redelivered, because its outcome {@linkplain Outcome#claiming claims}
 * {@code onboarding.complete:<flow>} in the same transaction that records the decision; every other one records
 * {@code already_complete}. A signup still incomplete at its deadline is reported once as {@code onboarding.stuck},
 * with what is missing.
 */
public final class OnboardingCoordinator implements Agent {

    /** Provisioning, CRM and the welcome email; the sales notification is nice to have. */
    public static final Set<String> DEFAULT_REQUIRED = Set.of("provisioning", "crm", "welcome-email");
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(15);

    private final Ports.OnboardingProgress progress;
    private final Ports.Deadlines deadlines;
    private final Ports.Alarms alarms;
    private final Set<String> required;
    private final Duration deadline;
    private final Clock clock;

    public OnboardingCoordinator(Ports.OnboardingProgress progress, Ports.Deadlines deadlines, Ports.Alarms alarms,
            Set<String> required, Duration deadline, Clock clock) {
        Set<String> unknown = new TreeSet<>(required);
        unknown.removeAll(Onboarding.STEP_OF.values());
        if (required.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException("required onboarding steps must be some of "
                    + new TreeSet<>(Onboarding.STEP_OF.values()) + "; got " + new TreeSet<>(required));
        }
        this.progress = progress;
        this.deadlines = deadlines;
        this.alarms = alarms;
        this.required = Set.copyOf(required);
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "onboarding-coordinator";
    }

    @Override
    public Set<String> eventTypes() {
        Set<String> types = new HashSet<>(Onboarding.STEP_OF.keySet());
        types.add(Onboarding.SIGNUP);
        types.add(Onboarding.DEADLINE_REACHED);
        return types;
    }

    @Override
    public Set<String> actions() {
        return Set.of("tracking", "step_recorded", "completed", "already_complete", "completed_in_time",
                "deadline_pending", "stuck_already_reported", "stuck");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of(Onboarding.COMPLETE, Onboarding.STUCK);
    }

    @Override
    public Outcome handle(Envelope event, AgentContext context) {
        String flow = event.correlationId();
        Instant now = clock.instant();
        return switch (event.type()) {
            case Onboarding.SIGNUP -> {
                Instant due = now.plus(deadline);
                progress.start(flow, event.id(), due, now);
                deadlines.schedule(event, event.id(), due);
                yield Outcome.of(Decision.of("tracking", Json.object().put("signup_id", event.id())
                        .put("deadline_at", due.toString()).set("required", sorted(required))));
            }
            case Onboarding.DEADLINE_REACHED -> deadlineReached(event, flow, now);
            default -> stepCompleted(event, flow, now);
        };
    }

    private Outcome stepCompleted(Envelope event, String flow, Instant now) {
        String signupId = EventData.requiredText(event.data(), "signup_id");
        String step = Onboarding.STEP_OF.get(event.type());
        Ports.Progress current = progress.recordStep(flow, signupId, step, now);
        ObjectNode state = state(signupId, current);
        if (!current.hasAll(required)) {
            return Outcome.of(Decision.of("step_recorded", state.deepCopy().put("step", step)));
        }
        // Every completion that sees the required steps together asks; the claim lets exactly one of them emit.
        return Outcome.of(Decision.of("onboarding.completed", "completed", state), FollowUp.of(Onboarding.COMPLETE, state))
                .claiming(Onboarding.COMPLETE + ":" + flow,
                        Outcome.of(Decision.of("already_complete", state.deepCopy().put("step", step))));
    }

    private Outcome deadlineReached(Envelope event, String flow, Instant now) {
        String signupId = EventData.requiredText(event.data(), "signup_id");
        Ports.Progress current = progress.get(flow).orElse(null);
        if (current == null || current.hasAll(required)) {
            return Outcome.of(Decision.of("completed_in_time", Json.object().put("signup_id", signupId)));
        }
        if (current.deadlineAt() != null && now.isBefore(current.deadlineAt())) {
            deadlines.schedule(event, signupId, current.deadlineAt());
            return Outcome.of(Decision.of("deadline_pending", state(signupId, current)));
        }
        if (!progress.markStuck(flow, required, now)) {
            return Outcome.of(Decision.of("stuck_already_reported", state(signupId, current)));
        }
        alarms.stuck(signupId);
        ObjectNode stuck = state(signupId, current);
        if (current.deadlineAt() != null) {
            stuck.put("deadline_at", current.deadlineAt().toString());
        }
        return Outcome.of(Decision.of("onboarding.stuck", "stuck", stuck), FollowUp.of(Onboarding.STUCK, stuck));
    }

    /** Deterministic content (sorted steps, no clock): the follow-up's id is derived from it. */
    private ObjectNode state(String signupId, Ports.Progress current) {
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(current.steps());
        ObjectNode state = Json.object().put("signup_id", signupId);
        state.set("completed_steps", sorted(current.steps()));
        state.set("missing_steps", sorted(missing));
        return state;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode sorted(Set<String> steps) {
        var array = Json.MAPPER.createArrayNode();
        List.copyOf(new TreeSet<>(steps)).forEach(array::add);
        return array;
    }
}
