package dev.relay.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter, the project's only retry-delay formula: the delay before retry
 * {@code n} (1-based) is uniform in {@code [0, min(cap, base * 2^(n-1))]}. Full jitter spreads retries of
 * many workers hitting the same rate-limited dependency (see the AWS Architecture Blog's
 * "Exponential Backoff And Jitter").
 */
public record Backoff(Duration base, Duration cap) {

    public Backoff {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("backoff base must be positive, got " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
        }
    }

    /** The largest delay retry {@code n} may get: {@code min(cap, base * 2^(n-1))}. */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, got " + retry);
        }
        int doublings = Math.min(retry - 1, 62);
        long baseMillis = base.toMillis();
        long ceiling = baseMillis > (cap.toMillis() >> doublings) ? cap.toMillis() : baseMillis << doublings;
        return Duration.ofMillis(Math.min(ceiling, cap.toMillis()));
    }

    public Duration delay(int retry) {
        return delay(retry, ThreadLocalRandom.current());
    }

    public Duration delay(int retry, RandomGenerator random) {
        return Duration.ofMillis(random.nextLong(ceiling(retry).toMillis() + 1));
    }

    /** A server's Retry-After is a floor: the jittered delay, but never sooner than the server asked. */
    public Duration delay(int retry, Duration retryAfter) {
        Duration jittered = delay(retry);
        return retryAfter == null || jittered.compareTo(retryAfter) >= 0 ? jittered : retryAfter;
    }
}
