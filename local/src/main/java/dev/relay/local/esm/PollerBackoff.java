package dev.relay.local.esm;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a poller pauses after the invoker or SQS failed (not after a function error, which the visibility
 * timeout already spaces out): doubling from {@code first} up to {@code max}, reset by the next success.
 */
final class PollerBackoff {

    private final Duration first;
    private final Duration max;
    private Duration current;
    private Instant until = Instant.MIN;

    PollerBackoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    synchronized Duration failed() {
        current = current == null ? first : min(current.multipliedBy(2), max);
        until = Instant.now().plus(current);
        return current;
    }

    synchronized void succeeded() {
        current = null;
        until = Instant.MIN;
    }

    /** Sleeps out the current pause, if any; interruptible, so closing is not delayed by it. */
    void await() throws InterruptedException {
        Duration pause;
        synchronized (this) {
            pause = Duration.between(Instant.now(), until);
        }
        if (pause.isPositive()) {
            Thread.sleep(pause);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
