package dev.relay.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ASL conformance suite: every case in {@code src/test/resources/asl-conformance/*.json} is one small state
 * machine, an input and what the specification (states-language.net) or AWS's documentation says comes out.
 *
 * <p>A case holds {@code name}, {@code source} (where the expectation comes from), {@code definition} (an object, or
 * a string used verbatim), {@code input} and exactly one expectation: {@code output} (the execution succeeds with
 * it), {@code error} (the execution fails with it; {@code causeContains} optionally checks the cause) or
 * {@code invalid} (the definition is refused; each listed text must appear among the problems).
 *
 * <p>Optional: {@code tasks}, scripted results per Task resource ARN, each a list of {@code {"result": …}},
 * {@code {"error": …, "cause": …}} or {@code {"echo": true}} used in turn (the last one repeats; a resource not
 * listed echoes its parameters); {@code calls}, the expected number of calls per resource; {@code sleeps}, the
 * engine's Wait and retry delays in seconds, in order.
 */
class AslConformanceTest {

    private static final List<String> FILES = List.of("paths.json", "states.json", "choice.json",
            "intrinsics.json", "retry-catch.json", "map-parallel.json", "errors.json");

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String file : FILES) {
            JsonNode suite = load(file);
            for (JsonNode testCase : suite.get("cases")) {
                all.add(Arguments.of(suite.get("feature").asText() + ": " + testCase.get("name").asText(), testCase));
            }
        }
        return all.stream();
    }

    @Test
    void theSuiteHasAtLeastEightyCasesWithUniqueNames() {
        List<String> names = cases().map(arguments -> (String) arguments.get()[0]).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(80).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(String name, JsonNode testCase) throws InterruptedException {
        JsonNode given = testCase.get("definition");
        // A definition given as a string is used verbatim, e.g. to hold duplicate keys.
        String definition = given.isTextual() ? given.asText() : Json.write(given);
        if (testCase.has("invalid")) {
            assertThatThrownBy(() -> StateMachineDefinition.parse(definition))
                    .isInstanceOfSatisfying(DefinitionException.class, e -> {
                        for (JsonNode expected : testCase.get("invalid")) {
                            assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected.asText()));
                        }
                    });
            return;
        }
        ScriptedTasks tasks = new ScriptedTasks(testCase.path("tasks"));
        InstantClock clock = new InstantClock();
        Execution execution;
        try (Engine engine = new Engine(tasks, clock)) {
            execution = engine.start(StateMachineDefinition.parse(definition), "conformance",
                    testCase.has("input") ? testCase.get("input") : Json.object(),
                    ExecutionContext.local("Conformance"));
            assertThat(execution.awaitCompletion(Duration.ofSeconds(10))).isNotEqualTo(ExecutionStatus.RUNNING);
        }
        if (testCase.has("output")) {
            assertThat(execution.status()).as("%s: %s", execution.error(), execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Json.sameValue(execution.output(), testCase.get("output")))
                    .as("output %s, expected %s", execution.output(), testCase.get("output")).isTrue();
        } else {
            assertThat(execution.status()).as("output %s", execution.output()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(execution.error()).as(execution.cause()).isEqualTo(testCase.get("error").asText());
            if (testCase.has("causeContains")) {
                assertThat(execution.cause()).contains(testCase.get("causeContains").asText());
            }
        }
        if (testCase.has("calls")) {
            testCase.get("calls").properties().forEach(call ->
                    assertThat(tasks.calls(call.getKey())).as("calls of " + call.getKey())
                            .isEqualTo(call.getValue().asInt()));
        }
        if (testCase.has("sleeps")) {
            List<BigDecimal> expected = new ArrayList<>();
            testCase.get("sleeps").forEach(seconds -> expected.add(seconds.decimalValue().stripTrailingZeros()));
            assertThat(clock.sleeps().stream().map(AslConformanceTest::seconds).toList())
                    .isEqualTo(expected);
        }
    }

    private static BigDecimal seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros();
    }

    private static JsonNode load(String file) {
        try (InputStream in = AslConformanceTest.class.getResourceAsStream("/asl-conformance/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource asl-conformance/" + file);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read asl-conformance/" + file, e);
        }
    }

    /** Answers Task calls from the case's script, counting calls per resource. */
    private static final class ScriptedTasks implements TaskInvoker {
        private final JsonNode script;
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        ScriptedTasks(JsonNode script) {
            this.script = script;
        }

        @Override
        public JsonNode invoke(TaskRequest request) {
            int call = calls.computeIfAbsent(request.resource(), r -> new AtomicInteger()).getAndIncrement();
            JsonNode steps = script.get(request.resource());
            if (steps == null) {
                return request.parameters();
            }
            JsonNode step = steps.get(Math.min(call, steps.size() - 1));
            if (step.has("echo")) {
                return request.parameters();
            }
            if (step.has("error")) {
                throw new TaskFailure(step.get("error").asText(), step.path("cause").asText(null));
            }
            return step.get("result").deepCopy();
        }

        int calls(String resource) {
            AtomicInteger count = new HashMap<>(calls).get(resource);
            return count == null ? 0 : count.get();
        }
    }
}
