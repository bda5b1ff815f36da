package dev.relay.core.agent;

import java.util.List;

/** An agent's answer to one event: its decision and the events it wants emitted. */
public record Outcome(Decision decision, List<FollowUp> followUps) {

    public Outcome {
        followUps = List.copyOf(followUps);
    }

    public static Outcome of(Decision decision, FollowUp... followUps) {
        return new Outcome(decision, List.of(followUps));
    }
}
