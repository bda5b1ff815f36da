package dev.relay.local.lambda;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for an outcome that happens in the background (a log line, a process ending). */
final class Awaiting {

    private Awaiting() {
    }

    static void until(BooleanSupplier condition, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + atMost);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
