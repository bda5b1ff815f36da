package dev.relay.ops;

import dev.relay.core.agent.EventData;

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
import dev.relay.core.event.InvalidEventException;
import java.util.List;
import java.util.Set;

/**
 * {@code deploy.completed}: a successful deploy gets a smoke-test plan and a verdict
 * ({@code deploy.verified}); a failed one gets its logs analysed and fixes suggested
 * ({@code deploy.remediation.suggested}).
 */
public final class DeployVerifier implements Agent {

    static final String VERIFY = """
            You are a deployment verification agent. Given a completed deployment, plan the smoke tests that \
            prove it works and give a verdict: pass if the deployment looks healthy, fail otherwise.""";
    static final String REMEDIATE = """
            You are a deployment remediation agent. Given a failed deployment and its logs, find the most \
            likely root cause and suggest concrete fixes, most promising first.""";

    public enum Verdict {
        PASS, FAIL;

        @JsonCreator
        static Verdict fromModel(String name) {
            return ModelChoice.named(Verdict.class, "verdict", name);
        }
    }

    public record Verification(
            @JsonPropertyDescription("pass or fail") Verdict verdict,
            @JsonPropertyDescription("smoke tests to run against the new version") List<String> smokeTests,
            @JsonPropertyDescription("one-sentence summary for the deploy channel") String summary) {

        public Verification {
            ModelChoice.required(verdict, "verdict");
        }
    }

    public record Remediation(
            @JsonPropertyDescription("the most likely root cause") String rootCause,
            @JsonPropertyDescription("concrete fixes, most promising first") List<String> fixes) {}

    @Override
    public String id() {
        return "deploy-verifier";
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of("deploy.completed");
    }

    @Override
    public Set<String> actions() {
        return Set.of("verified", "verification_failed", "remediation_suggested");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of("deploy.verified", "deploy.remediation.suggested");
    }

    @Override
    public Outcome handle(Envelope event, AgentContext context) {
        ObjectNode deploy = event.data();
        String service = requiredText(deploy, "service");
        String status = requiredText(deploy, "status");
        return switch (status) {
            case "succeeded" -> {
                Verification verification = context.model()
                        .decide(EventData.prompt(VERIFY, "Verify this deployment:", deploy), Verification.class).value();
                yield Outcome.of(Decision.of(verification.verdict() == Verdict.PASS ? "verified" : "verification_failed", verification),
                        FollowUp.of("deploy.verified", new Verified(service, deploy.path("version").asText(null), verification)));
            }
            case "failed" -> {
                Remediation remediation = context.model()
                        .decide(EventData.prompt(REMEDIATE, "This deployment failed:", deploy), Remediation.class).value();
                yield Outcome.of(Decision.of("remediation_suggested", remediation),
                        FollowUp.of("deploy.remediation.suggested", new Remediated(service, deploy.path("version").asText(null), remediation)));
            }
            default -> throw new InvalidEventException("data.status", "'" + status + "' is not one of succeeded, failed");
        };
    }

    record Verified(String service, String version, Verification verification) {}

    record Remediated(String service, String version, Remediation remediation) {}
}
