package dev.relay.core.agent;

import java.util.List;
import java.util.Objects;

/**
 * An agent's answer to one event: its decision and the events it wants emitted. An outcome may {@linkplain #claiming
 * claim} a name that only one event can ever hold ({@code onboarding.complete:<signup>}): the claim is taken in the
 * same transaction that records the decision, and when another event holds it, the fallback outcome is recorded
 * instead. That is how "exactly one" survives races between Lambdas and redeliveries.
 */
public record Outcome(Decision decision, List<FollowUp> followUps, Claim claim) {

    /** A name only one event can hold, and what to decide instead when another event holds it. */
    public record Claim(String name, Outcome ifTaken) {

        public Claim {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(ifTaken, "ifTaken");
            if (ifTaken.claim() != null) {
                throw new IllegalArgumentException("the fallback of claim " + name + " cannot claim again");
            }
        }
    }

    public Outcome {
        Objects.requireNonNull(decision, "decision");
        followUps = List.copyOf(followUps);
    }

    public Outcome(Decision decision, List<FollowUp> followUps) {
        this(decision, followUps, null);
    }

    public static Outcome of(Decision decision, FollowUp... followUps) {
        return new Outcome(decision, List.of(followUps));
    }

    /** This outcome only if this event can claim {@code name}; otherwise {@code ifTaken}. */
    public Outcome claiming(String name, Outcome ifTaken) {
        return new Outcome(decision, followUps, new Claim(name, ifTaken));
    }
}
