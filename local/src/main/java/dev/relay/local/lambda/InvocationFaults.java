package dev.relay.local.lambda;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, per invocation, whether the local Lambda service ends it on purpose part-way: the environment crashes
 * (its JVM is killed) or times out, a given time after the runtime took the invocation — while the function may be in
 * the middle of its batch. For fault-injection runs; {@link #NONE} otherwise.
 */
@FunctionalInterface
public interface InvocationFaults {

    InvocationFaults NONE = function -> Optional.empty();

    /** The fault for the next invocation of {@code functionName}, if any. */
    Optional<Fault> next(String functionName);

    /** What happens to the invocation, and how long after the runtime took it. */
    record Fault(Kind kind, Duration after) {

        public enum Kind {
            /** The JVM is killed: Lambda's {@code Runtime.ExitError}. */
            CRASH,
            /** The invocation times out early: Lambda's {@code Sandbox.Timedout}, the environment is replaced. */
            TIMEOUT
        }

        public Fault {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(after, "after");
        }
    }
}
