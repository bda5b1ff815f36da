package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineClock#accelerated}: Retry intervals and Wait states run faster by the factor, in real time, while
 * TimeoutSeconds stays real. Delays are measured between the history events around each retry.
 */
class AcceleratedClockTest {

    /** Slack for scheduling on a busy machine: a retry may start this much later than its backoff. */
    private static final Duration SLACK = Duration.ofMillis(250);

    private static Execution failingTask(String retrier, int failures, double factor) {
        AtomicInteger calls = new AtomicInteger();
        return Machines.run("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Retry":[%s],"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Caught"}],
                  "End":true},"Caught":{"Type":"Pass","End":true}}}""".formatted(retrier), "{}", request -> {
                    if (calls.getAndIncrement() < failures) {
                        throw new TaskFailure("Flaky", "attempt " + calls.get());
                    }
                    return json("\"ok\"");
                }, EngineClock.accelerated(factor));
    }

    /** The time from each TaskFailed to the next TaskScheduled: the retry delays as they happened. */
    private static List<Duration> retryDelays(Execution execution) {
        List<HistoryEvent> history = execution.history();
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).type().equals("TaskFailed")) {
                for (int j = i + 1; j < history.size(); j++) {
                    if (history.get(j).type().equals("TaskScheduled")) {
                        delays.add(Duration.between(history.get(i).timestamp(), history.get(j).timestamp()));
                        break;
                    }
                }
            }
        }
        return delays;
    }

    private static Duration scaled(double seconds, double factor) {
        return Duration.ofNanos((long) (seconds * 1e9 / factor));
    }

    @Test
    void retryDelaysFollowBackoffRateAndMaxDelaySecondsScaledDown() {
        double factor = 20; // 100, 300, 500, 500 ms; uncapped, the third would be 900 ms
        Execution execution = failingTask("""
                {"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":4,"MaxDelaySeconds":10}""",
                4, factor);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json("\"ok\""));
        List<Duration> delays = retryDelays(execution);
        double[] expectedSeconds = {2, 6, 10, 10}; // 2 x 3^n, capped at 10
        assertThat(delays).hasSize(4);
        for (int i = 0; i < delays.size(); i++) {
            Duration expected = scaled(expectedSeconds[i], factor);
            assertThat(delays.get(i)).as("delay before retry %d", i + 1)
                    .isBetween(expected, expected.plus(SLACK));
        }
    }

    @Test
    void fullJitterKeepsEachDelayBetweenZeroAndTheCappedBackoff() {
        double factor = 50; // caps of 80 to 400 ms
        Execution execution = failingTask("""
                {"ErrorEquals":["Flaky"],"IntervalSeconds":4,"BackoffRate":2,"MaxAttempts":8,"MaxDelaySeconds":20,
                 "JitterStrategy":"FULL"}""", 8, factor);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<Duration> delays = retryDelays(execution);
        double[] capSeconds = {4, 8, 16, 20, 20, 20, 20, 20};
        assertThat(delays).hasSize(8);
        int wellBelowTheCap = 0;
        for (int i = 0; i < delays.size(); i++) {
            Duration cap = scaled(capSeconds[i], factor);
            assertThat(delays.get(i)).as("delay before retry %d", i + 1).isLessThan(cap.plus(SLACK));
            if (delays.get(i).compareTo(cap.multipliedBy(6).dividedBy(10)) < 0) {
                wellBelowTheCap++;
            }
        }
        // Uniform in [0, cap]: all eight at 60% or more of the cap has a probability of 0.4^8 (0.07%).
        assertThat(wellBelowTheCap).isPositive();
    }

    @Test
    void catchHandsTheErrorToItsTargetAtResultPathOnceRetriesAreSpent() {
        Execution execution = failingTask("""
                {"ErrorEquals":["Flaky"],"IntervalSeconds":30,"MaxAttempts":2}""", 5, 1000);

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json("""
                {"error":{"Error":"Flaky","Cause":"attempt 3"}}"""));
        assertThat(retryDelays(execution)).hasSize(2);
    }

    @Test
    void waitStatesAreAcceleratedButTaskTimeoutsStayInRealTime() {
        long begin = System.nanoTime();
        Execution execution = Machines.run("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"Next":"T"},
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":2,"End":true}}}""",
                "{}", request -> {
                    try {
                        Thread.sleep(300); // 300 ms of real work: within 2 s, though 2 s / 1000 would not be
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return json("\"done\"");
                }, EngineClock.accelerated(1000));

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        HistoryEvent waited = execution.history().stream().filter(e -> e.type().equals("WaitStateExited"))
                .findFirst().orElseThrow();
        assertThat(Duration.between(execution.startDate(), waited.timestamp()))
                .isBetween(Duration.ofMillis(600), Duration.ofMillis(600).plus(SLACK.multipliedBy(2)));
    }
}
