package dev.relay.onboarding;

import dev.relay.core.event.InvalidEventException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a plan gets when its workspace is provisioned. */
public enum Plan {
    FREE(1, 3),
    PRO(10, 50),
    ENTERPRISE(500, 10_000);

    private final int seats;
    private final int projects;

    Plan(int seats, int projects) {
        this.seats = seats;
        this.projects = projects;
    }

    public int seats() {
        return seats;
    }

    public int projects() {
        return projects;
    }

    /** The plan a signup names; an unknown plan cannot be provisioned, whatever the retries. */
    public static Plan named(String plan) {
        for (Plan candidate : values()) {
            if (candidate.name().equalsIgnoreCase(plan)) {
                return candidate;
            }
        }
        throw new InvalidEventException("data.plan", "'" + plan + "' is not one of "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
