package dev.relay.offline;

import java.time.Duration;
import java.util.Objects;

/**
 * What the offline model does to one chat completion request instead of answering at once.
 *
 * <p>The request waits {@code delay} first; then a {@code status} of 200 answers normally and any other
 * status fails with an OpenAI-style error body. {@code retryAfter}, when set, is sent as the
 * {@code Retry-After} (whole seconds, rounded up) and {@code retry-after-ms} headers.
 */
public record Fault(int status, Duration retryAfter, Duration delay) {

    public Fault {
        if (status != 200 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("a fault's status is 200 (answer) or an error status 400..599, not " + status);
        }
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        delay = delay == null ? Duration.ZERO : delay;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
    }

    /** Fails the request with this status (e.g. 429, 500, 503) and an OpenAI-style error body. */
    public static Fault status(int status) {
        if (status == 200) {
            throw new IllegalArgumentException("Fault.status needs an error status; use Fault.delay to answer late");
        }
        return new Fault(status, null, Duration.ZERO);
    }

    /** Fails the request with 429 and tells the client when to retry. */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(429, Objects.requireNonNull(retryAfter, "retryAfter"), Duration.ZERO);
    }

    /** Answers normally, but only after this delay (for client timeout tests). */
    public static Fault delay(Duration delay) {
        return new Fault(200, null, Objects.requireNonNull(delay, "delay"));
    }

    boolean answers() {
        return status == 200;
    }
}
