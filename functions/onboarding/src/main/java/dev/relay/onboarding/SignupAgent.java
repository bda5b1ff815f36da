package dev.relay.onboarding;

import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Outcome;
import dev.relay.core.event.Envelope;
import java.util.Set;

/** An onboarding agent: takes each {@code customer.signup}, read as a {@link Signup}, and reports its step done. */
abstract class SignupAgent implements Agent {

    @Override
    public final Set<String> eventTypes() {
        return Set.of(Onboarding.SIGNUP);
    }

    @Override
    public final Outcome handle(Envelope event, AgentContext context) {
        return handle(Signup.from(event), event, context);
    }

    abstract Outcome handle(Signup signup, Envelope event, AgentContext context);
}
