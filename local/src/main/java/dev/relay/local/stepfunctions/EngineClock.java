package dev.relay.local.stepfunctions;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Engine time: what Wait states, retry intervals and task/heartbeat/execution timeouts are measured in. Real
 * time by default; {@link #scaled(double)} runs all of it faster, {@link #accelerated(double)} only what the engine
 * waits out by itself, {@link InstantClock} skips sleeps.
 *
 * <p>The engine {@link #sleep sleeps} for durations it chooses (Wait states, retry intervals) and {@link #await
 * awaits} deadlines on outside work (TimeoutSeconds, HeartbeatSeconds, the execution's TimeoutSeconds).
 */
public interface EngineClock {

    Instant now();

    /** Sleeps for {@code duration} of engine time. */
    void sleep(Duration duration) throws InterruptedException;

    /** Waits up to {@code timeout} of engine time for something outside the engine, e.g. a task token callback. */
    <T> T await(Future<T> future, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException;

    static EngineClock system() {
        return scaled(1.0);
    }

    /** Engine time runs {@code factor} times faster than real time: factor 100 turns a 10 s Wait into 100 ms. */
    static EngineClock scaled(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("the time scale factor must be positive, got " + factor);
        }
        return new TimeScale(factor);
    }

    /**
     * Wait states and Retry intervals last {@code factor} times less, while deadlines (TimeoutSeconds,
     * HeartbeatSeconds) stay in real time because the work they bound, a Lambda function or a person answering a
     * task token, does not speed up. {@code now()} is real time. This runs a workflow with minute-long backoffs in
     * milliseconds without changing its definition.
     */
    static EngineClock accelerated(double factor) {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("the acceleration factor must be at least 1, got " + factor);
        }
        return new Accelerated(factor);
    }

    /** Real time, with sleeps divided by the factor. */
    record Accelerated(double factor) implements EngineClock {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            long nanos = (long) (duration.toNanos() / factor);
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }

        @Override
        public <T> T await(Future<T> future, Duration timeout)
                throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        }
    }

    /** Engine time = an origin plus real elapsed time multiplied by the factor. */
    final class TimeScale implements EngineClock {
        private final double factor;
        private final Instant origin = Instant.now();
        private final long originNanos = System.nanoTime();

        TimeScale(double factor) {
            this.factor = factor;
        }

        @Override
        public Instant now() {
            return origin.plusNanos((long) ((System.nanoTime() - originNanos) * factor));
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            long nanos = realNanos(duration);
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }

        @Override
        public <T> T await(Future<T> future, Duration timeout)
                throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(Math.max(0, realNanos(timeout)), TimeUnit.NANOSECONDS);
        }

        private long realNanos(Duration duration) {
            double nanos = duration.toNanos() / factor;
            return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
        }
    }
}
