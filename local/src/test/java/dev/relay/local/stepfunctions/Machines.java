package dev.relay.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/** Test helpers: run a definition to completion and look at what it did. */
final class Machines {
    private Machines() {}

    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Execution run(String definition, String input) {
        return run(definition, input, request -> {
            throw new AssertionError("no task expected, got " + request.resource());
        });
    }

    static Execution run(String definition, String input, TaskInvoker invoker) {
        return run(definition, input, invoker, new InstantClock());
    }

    static Execution run(String definition, String input, TaskInvoker invoker, EngineClock clock) {
        Engine engine = new Engine(invoker, clock);
        Execution execution = engine.start(StateMachineDefinition.parse(definition), "test-run", json(input),
                ExecutionContext.local("TestMachine"));
        try {
            assertThat(execution.awaitCompletion(Duration.ofSeconds(20))).isNotEqualTo(ExecutionStatus.RUNNING);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return execution;
    }

    static JsonNode outputOf(String definition, String input) {
        Execution execution = run(definition, input);
        assertThat(execution.status()).as("%s: %s", execution.error(), execution.cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        return execution.output();
    }

    static List<String> eventTypes(Execution execution) {
        return execution.history().stream().map(HistoryEvent::type).toList();
    }

    /** A one-state machine around {@code stateJson} (a Pass/Task/... object ending with End). */
    static String single(String stateJson) {
        return "{\"StartAt\":\"S\",\"States\":{\"S\":" + stateJson + "}}";
    }
}
