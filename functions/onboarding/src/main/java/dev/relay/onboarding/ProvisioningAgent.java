package dev.relay.onboarding;

import dev.relay.core.Json;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.Set;

/** Creates the signup's workspace with its plan's limits → {@code workspace.provisioned}. No model call. */
public final class ProvisioningAgent extends SignupAgent {

    private final Ports.Workspaces workspaces;

    public ProvisioningAgent(Ports.Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public String id() {
        return "provisioning";
    }

    @Override
    public Set<String> actions() {
        return Set.of("workspace_created", "workspace_existed");
    }

    @Override
    public Set<String> followUpTypes() {
        return Set.of(Onboarding.WORKSPACE_PROVISIONED);
    }

    @Override
    Outcome handle(Signup signup, Envelope event, AgentContext context) {
        Plan plan = Plan.named(signup.plan());
        String workspaceId = "ws-" + Onboarding.derivedId("workspace", signup.signupId()).substring(0, 13);
        boolean created = workspaces.provision(new Ports.Workspace(workspaceId, signup.signupId(), signup.userId(), plan));
        var workspace = Json.object().put("signup_id", signup.signupId()).put("user_id", signup.userId())
                .put("workspace_id", workspaceId).put("plan", plan.name().toLowerCase(java.util.Locale.ROOT))
                .put("seats", plan.seats()).put("projects", plan.projects());
        return Outcome.of(Decision.of(created ? "workspace_created" : "workspace_existed", workspace),
                FollowUp.of(Onboarding.WORKSPACE_PROVISIONED, workspace));
    }
}
