package dev.relay.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void ceilingDoublesPerRetryUntilTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.ceiling(7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void delaysAreSpreadOverTheWholeJitterRange() {
        SplittableRandom random = new SplittableRandom(42);
        Set<Long> seen = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long millis = backoff.delay(4, random).toMillis();
            assertThat(millis).isBetween(0L, 800L);
            seen.add(millis);
            min = Math.min(min, millis);
            max = Math.max(max, millis);
        }
        assertThat(seen.size()).as("distinct delays").isGreaterThan(500);
        assertThat(min).isLessThan(80);
        assertThat(max).isGreaterThan(720);
    }

    @Test
    void retryAfterIsAFloor() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(1, Duration.ofSeconds(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("below its base");
        assertThatThrownBy(() -> backoff.ceiling(0)).hasMessageContaining("start at 1");
    }
}
