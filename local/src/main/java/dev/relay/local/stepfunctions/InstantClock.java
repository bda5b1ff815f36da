package dev.relay.local.stepfunctions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Engine time that only moves when the engine sleeps: Wait states and retry intervals return at once and are
 * recorded, so tests can assert the exact backoff sequence. Waiting on callbacks still blocks for real time.
 */
public final class InstantClock implements EngineClock {
    private final Instant origin;
    private long elapsedNanos;
    private final List<Duration> sleeps = new ArrayList<>();

    public InstantClock() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    public InstantClock(Instant origin) {
        this.origin = origin;
    }

    @Override
    public synchronized Instant now() {
        return origin.plusNanos(elapsedNanos);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            sleeps.add(duration);
            elapsedNanos += Math.max(0, duration.toNanos());
        }
    }

    @Override
    public <T> T await(Future<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            synchronized (this) {
                elapsedNanos += timeout.toNanos();
            }
            throw e;
        }
    }

    /** Every sleep the engine asked for, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
