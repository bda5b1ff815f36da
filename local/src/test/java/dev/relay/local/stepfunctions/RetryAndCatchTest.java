package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static dev.relay.local.stepfunctions.Machines.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryAndCatchTest {

    /** An invoker that fails with the given errors in turn, then succeeds with {"ok":true}. */
    private static TaskInvoker failing(String... errors) {
        AtomicInteger calls = new AtomicInteger();
        return request -> {
            int call = calls.getAndIncrement();
            if (call < errors.length) {
                throw new TaskFailure(errors[call], "attempt " + (call + 1) + " failed");
            }
            return json("{\"ok\":true}");
        };
    }

    private static String task(String retryAndCatch) {
        return """
                {"StartAt":"Route","States":{
                  "Route":{"Type":"Choice","Default":"T","Choices":[
                     {"Variable":"$$.Execution.Name","StringEquals":"never","Next":"Handled"},
                     {"Variable":"$$.Execution.Name","StringEquals":"never","Next":"Other"}]},
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done"%s},
                  "Done":{"Type":"Succeed"},
                  "Handled":{"Type":"Pass","End":true},
                  "Other":{"Type":"Pass","End":true}}}""".formatted(retryAndCatch.isEmpty() ? "" : "," + retryAndCatch);
    }

    @Test
    void backoffGrowsByTheRateFromTheInterval() {
        InstantClock clock = new InstantClock();
        Execution execution = run(task("""
                "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":3}],
                "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}]"""), "{}",
                failing("Boom", "Boom", "Boom"), clock);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json("{\"ok\":true}"));
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6),
                Duration.ofSeconds(18));
        assertThat(Machines.eventTypes(execution).stream().filter("TaskFailed"::equals)).hasSize(3);
    }

    @Test
    void defaultsAreOneSecondThreeAttemptsRateTwo() {
        InstantClock clock = new InstantClock();
        Execution execution = run(task("\"Retry\":[{\"ErrorEquals\":[\"Boom\"]}]"), "{}",
                failing("Boom", "Boom", "Boom", "Boom"), clock);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Boom");
        assertThat(execution.cause()).isEqualTo("attempt 4 failed");
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    @Test
    void maxDelaySecondsCapsTheBackoff() {
        InstantClock clock = new InstantClock();
        run(task("""
                "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":3,"MaxAttempts":4,"MaxDelaySeconds":10}]"""),
                "{}", failing("Boom", "Boom", "Boom", "Boom"), clock);
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(6),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void fullJitterStaysWithinTheComputedBackoff() {
        State.Retrier retrier = new State.Retrier(List.of("X"), 2, 5, 2.0, 20, State.Jitter.FULL);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            delays.add(Interpreter.backoff(retrier, 3));
        }
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(16)));
        assertThat(delays.stream().distinct().count()).isGreaterThan(1);
        assertThat(Interpreter.backoff(retrier, 10)).isLessThanOrEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void retriersMatchInOrderEachWithItsOwnCounter() {
        InstantClock clock = new InstantClock();
        Execution execution = run(task("""
                "Retry":[{"ErrorEquals":["A"],"IntervalSeconds":1,"MaxAttempts":1},
                         {"ErrorEquals":["States.ALL"],"IntervalSeconds":5,"MaxAttempts":2,"BackoffRate":1}]"""),
                "{}", failing("A", "B", "B"), clock);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }

    @Test
    void anExhaustedRetrierDoesNotFallThroughToLaterRetriers() {
        InstantClock clock = new InstantClock();
        Execution execution = run(task("""
                "Retry":[{"ErrorEquals":["A"],"MaxAttempts":1},{"ErrorEquals":["States.ALL"],"MaxAttempts":5}]"""),
                "{}", failing("A", "A"), clock);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(clock.sleeps()).hasSize(1);
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        InstantClock clock = new InstantClock();
        Execution execution = run(task("\"Retry\":[{\"ErrorEquals\":[\"A\"],\"MaxAttempts\":0}]"), "{}",
                failing("A"), clock);
        assertThat(execution.error()).isEqualTo("A");
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void retryCountIsInTheContextObject() {
        List<Integer> seen = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Execution execution = run(task("""
                "Parameters":{"retry.$":"$$.State.RetryCount"},"Retry":[{"ErrorEquals":["A"]}]"""), "{}", request -> {
            seen.add(request.parameters().get("retry").asInt());
            if (calls.getAndIncrement() < 2) {
                throw new TaskFailure("A", null);
            }
            return json("1");
        });
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(seen).containsExactly(0, 1, 2);
    }

    @Test
    void catchersAreEvaluatedInOrderAndTheErrorLandsAtResultPath() {
        Execution execution = run(task("""
                "Catch":[{"ErrorEquals":["Nope"],"Next":"Other"},
                         {"ErrorEquals":["Boom","Other"],"ResultPath":"$.error","Next":"Handled"},
                         {"ErrorEquals":["States.ALL"],"Next":"Other"}]"""), "{\"order\":7}", failing("Boom"));
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json(
                "{\"order\":7,\"error\":{\"Error\":\"Boom\",\"Cause\":\"attempt 1 failed\"}}"));
        assertThat(Machines.eventTypes(execution)).containsSubsequence("TaskFailed", "TaskStateExited",
                "PassStateEntered");
    }

    @Test
    void catchWithoutResultPathReplacesTheInputWithTheErrorOutput() {
        Execution execution = run(task("\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Handled\"}]"),
                "{\"order\":7}", failing("Boom"));
        assertThat(execution.output()).isEqualTo(json("{\"Error\":\"Boom\",\"Cause\":\"attempt 1 failed\"}"));
    }

    @Test
    void taskFailedMatchesEverythingButTimeouts() {
        Execution caught = run(task("\"Catch\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"Next\":\"Handled\"}]"),
                "{}", failing("Custom.Error"));
        assertThat(caught.status()).isEqualTo(ExecutionStatus.SUCCEEDED);

        Execution timedOut = run(task("""
                "TimeoutSeconds":1,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Handled"}]"""), "{}",
                request -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return json("1");
                }, EngineClock.scaled(20));
        assertThat(timedOut.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(timedOut.error()).isEqualTo("States.Timeout");
        assertThat(Machines.eventTypes(timedOut)).contains("TaskTimedOut");
    }

    @Test
    void statesRuntimeIsNeitherRetriedNorCaught() {
        InstantClock clock = new InstantClock();
        Execution execution = run(task("""
                "Parameters":{"x.$":"$.missing"},
                "Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}]"""),
                "{}", failing(), clock);
        assertThat(execution.error()).isEqualTo("States.Runtime");
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void anUnexpectedExceptionFromTheInvokerIsATaskFailure() {
        Execution execution = run(task(""), "{}", request -> {
            throw new IllegalStateException("connection refused");
        });
        assertThat(execution.error()).isEqualTo("States.TaskFailed");
        assertThat(execution.cause()).contains("connection refused");
    }
}
