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
import java.util.List;
import java.util.Set;

/**
 * {@code alert.triggered}: the alert gets a severity, a likely cause and next steps ({@code alert.triaged});
 * a SEV1 also asks for the on-call rotation to be paged ({@code oncall.page.requested}). Who is paged comes
 * from the alert ({@code team}, else {@code service}), never from the model.
 */
public final class IncidentTriager implements Agent {

    static final String ROLE = """
            You are an incident triage agent. Given a monitoring alert, classify how severe the incident is, \
            name its most likely cause and list the responder's next steps, most urgent first.""";

    /** SEV1 is the most severe; only SEV1 pages a human. */
    public enum Severity {
        SEV1, SEV2, SEV3, SEV4;

        @JsonCreator
        static Severity fromModel(String name) {
            return ModelChoice.named(Severity.class, "severity", name);
        }

        /** 1 (most severe) to 4. */
        public int level() {
            return ordinal() + 1;
        }
    }

    public record Triage(
            @JsonPropertyDescription("SEV1 = customers cannot use a core feature or data is at risk (pages on-call now); "
                    + "SEV2 = major degradation; SEV3 = minor or partial impact; SEV4 = no customer impact") Severity severity,
            @JsonPropertyDescription("the most likely cause") String likelyCause,
            @JsonPropertyDescription("the responder's next steps, most urgent first") List<String> nextSteps,
            @JsonPropertyDescription("one-sentence summary for the incident channel and the page") String summary) {

        public Triage {
            ModelChoice.required(severity, "severity");
            nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        }
    }

    @Override
    public String id() {
        return "incident-triager";
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("alert.triggered");
    }

    @Override
    public Set<String> actions() {
        return Set.of("triaged", "paged");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of("alert.triaged", "oncall.page.requested");
    }

    @Override
    public Outcome handle(Envelope event, AgentContext context) {
        ObjectNode alert = event.data();
        String name = requiredText(alert, "alert");
        String service = requiredText(alert, "service");
        String team = optionalText(alert, "team");
        Triage triage = context.model().decide(EventData.prompt(ROLE, "Triage this alert:", alert), Triage.class).value();
        FollowUp triaged = FollowUp.of("alert.triaged", new Triaged(name, service, triage));
        if (triage.severity() != Severity.SEV1) {
            return Outcome.of(Decision.of("triaged", triage), triaged);
        }
        Page page = new Page(name, service, team == null ? service : team, triage.severity(), triage.summary(), triage.likelyCause());
        return Outcome.of(Decision.of("paged", triage), triaged, FollowUp.of("oncall.page.requested", page));
    }

    record Triaged(String alert, String service, Triage triage) {}

    /** The page: {@code rotation} is whom to wake, {@code alert} and {@code service} what it is about. */
    record Page(String alert, String service, String rotation, Severity severity, String summary, String likelyCause) {}
}
