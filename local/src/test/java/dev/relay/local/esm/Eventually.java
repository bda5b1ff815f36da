package dev.relay.local.esm;

import java.time.Duration;
import java.time.Instant;

/** Retries an assertion until it holds or the time is up: pollers are asynchronous, outcomes are not immediate. */
final class Eventually {

    private Eventually() {
    }

    static void within(Duration limit, Runnable assertion) {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
