package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static dev.relay.local.stepfunctions.Machines.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Wait and Fail states, stopping, state machine timeouts and the history an execution leaves. */
class ExecutionLifecycleTest {

    @Test
    void waitStatesSleepForSecondsTimestampsAndTheirPaths() {
        InstantClock clock = new InstantClock(Instant.parse("2024-01-01T00:00:00Z"));
        Execution execution = run("""
                {"StartAt":"A","States":{
                  "A":{"Type":"Wait","Seconds":10,"Next":"B"},
                  "B":{"Type":"Wait","Timestamp":"2024-01-01T00:01:00Z","Next":"C"},
                  "C":{"Type":"Wait","SecondsPath":"$.delay","Next":"D"},
                  "D":{"Type":"Wait","TimestampPath":"$.until","Next":"E"},
                  "E":{"Type":"Wait","TimestampPath":"$.past","End":true}}}""", """
                {"delay":5,"until":"2024-01-01T00:02:00Z","past":"2020-01-01T00:00:00Z"}""", request -> null, clock);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(50),
                Duration.ofSeconds(5), Duration.ofSeconds(55));
        assertThat(Machines.eventTypes(execution)).contains("WaitStateEntered", "WaitStateExited");
    }

    @Test
    void aNegativeSecondsPathIsARuntimeError() {
        Execution execution = run(Machines.single("{\"Type\":\"Wait\",\"SecondsPath\":\"$.d\",\"End\":true}"),
                "{\"d\":-1}");
        assertThat(execution.error()).isEqualTo("States.Runtime");
    }

    @Test
    void failStatesTakeErrorAndCauseFromPathsOrIntrinsics() {
        Execution execution = run(Machines.single("""
                {"Type":"Fail","ErrorPath":"$.code","CausePath":"States.Format('order {} failed', $.id)"}"""),
                "{\"code\":\"Order.Invalid\",\"id\":7}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Order.Invalid");
        assertThat(execution.cause()).isEqualTo("order 7 failed");
        HistoryEvent last = execution.history().getLast();
        assertThat(last.toJson().get("executionFailedEventDetails"))
                .isEqualTo(json("{\"error\":\"Order.Invalid\",\"cause\":\"order 7 failed\"}"));
    }

    @Test
    void stopAbortsARunningExecution() throws Exception {
        try (Engine engine = new Engine(request -> null)) {
            Execution execution = engine.start(StateMachineDefinition.parse(
                    Machines.single("{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}")), "long-wait", json("{}"),
                    ExecutionContext.local("Sleeper"));
            Thread.sleep(50);
            assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
            execution.stop("User.Cancelled", "changed my mind");
            assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.ABORTED);
            assertThat(execution.error()).isEqualTo("User.Cancelled");
            assertThat(execution.stopDate()).isNotNull();
            assertThat(Machines.eventTypes(execution)).containsExactly("ExecutionStarted", "WaitStateEntered",
                    "ExecutionAborted");
            execution.stop("again", null);
            assertThat(execution.history()).hasSize(3);
        }
    }

    @Test
    void stateMachineTimeoutSecondsTimesTheExecutionOut() throws Exception {
        try (Engine engine = new Engine(request -> null, EngineClock.scaled(50))) {
            Execution execution = engine.start(StateMachineDefinition.parse("""
                    {"StartAt":"W","TimeoutSeconds":2,"States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}"""),
                    "slow", json("{}"), ExecutionContext.local("Slow"));
            assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.TIMED_OUT);
            assertThat(execution.error()).isEqualTo("States.Timeout");
            assertThat(Machines.eventTypes(execution)).endsWith("ExecutionTimedOut");
        }
    }

    @Test
    void taskTimeoutSecondsGivesTheInvokerADeadline() {
        List<Instant> deadlines = new CopyOnWriteArrayList<>();
        InstantClock clock = new InstantClock(Instant.parse("2024-01-01T00:00:00Z"));
        run(Machines.single("""
                {"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","TimeoutSeconds":30,"End":true}"""), "{}",
                request -> {
                    deadlines.add(request.deadline());
                    return json("{}");
                }, clock);
        assertThat(deadlines).containsExactly(Instant.parse("2024-01-01T00:00:30Z"));
    }

    @Test
    void listenersSeeEveryEventAndIdsChainThroughBranches() throws Exception {
        List<HistoryEvent> seen = new CopyOnWriteArrayList<>();
        try (Engine engine = new Engine(request -> json("1"), new InstantClock())) {
            Execution execution = engine.start(StateMachineDefinition.parse("""
                    {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                      {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
                      {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"""), "branches", json("{}"),
                    ExecutionContext.local("Branches").withListener((e, event) -> seen.add(event)));
            assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(seen).containsExactlyElementsOf(execution.history());
            List<HistoryEvent> history = execution.history();
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).id()).isEqualTo(i + 1);
                assertThat(history.get(i).previousEventId()).isLessThan(history.get(i).id());
            }
            long started = history.stream().filter(e -> e.type().equals("ParallelStateStarted")).findFirst()
                    .orElseThrow().id();
            assertThat(history.stream().filter(e -> e.type().endsWith("StateEntered") && e.id() > started))
                    .allSatisfy(e -> assertThat(e.previousEventId()).isEqualTo(started));
        }
    }

    @Test
    void executionNamesAreValidated() {
        try (Engine engine = new Engine(request -> null)) {
            StateMachineDefinition definition = StateMachineDefinition.parse(
                    Machines.single("{\"Type\":\"Succeed\"}"));
            assertThatThrownBy(() -> engine.start(definition, "bad name!", json("{}"), ExecutionContext.local("M")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad name!");
            Execution execution = engine.start(definition, "order-42", json("{}"), ExecutionContext.local("M"));
            assertThat(execution.name()).isEqualTo("order-42");
            assertThat(execution.executionArn()).isEqualTo("arn:aws:states:us-east-1:123456789012:execution:M:order-42");
        }
    }
}
