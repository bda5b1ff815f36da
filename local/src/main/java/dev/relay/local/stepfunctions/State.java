package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One parsed state of a state machine (or of a Parallel branch / Map item processor). */
public sealed interface State
        permits State.Pass, State.Task, State.Choice, State.Wait, State.Succeed, State.Fail, State.Parallel,
                State.Map {

    String name();

    /** The type name as it appears in the definition and in history event types, e.g. "Task". */
    default String type() {
        return getClass().getSimpleName();
    }

    /**
     * The JSONPath-mode input/output fields. A {@code null} path is the JSON {@code null} of the definition
     * (discard: {} for InputPath/OutputPath, keep the input for ResultPath); absent fields default to {@code $}.
     */
    record DataFlow(
            JsonPath inputPath,
            PayloadTemplate parameters,
            PayloadTemplate resultSelector,
            JsonPath resultPath,
            JsonPath outputPath) {}

    enum Jitter { FULL, NONE }

    record Retrier(
            List<String> errorEquals,
            int intervalSeconds,
            int maxAttempts,
            double backoffRate,
            Integer maxDelaySeconds,
            Jitter jitter) {}

    record Catcher(List<String> errorEquals, String next, JsonPath resultPath) {}

    /** A state's next state, or {@code null} when it ends its (sub-)machine. */
    interface Transitioning {
        String next();
    }

    record Pass(String name, DataFlow flow, String next, JsonNode result) implements State, Transitioning {}

    record Task(
            String name,
            DataFlow flow,
            String next,
            String resource,
            Integer timeoutSeconds,
            JsonPath timeoutSecondsPath,
            Integer heartbeatSeconds,
            JsonPath heartbeatSecondsPath,
            List<Retrier> retriers,
            List<Catcher> catchers) implements State, Transitioning {

        boolean waitsForTaskToken() {
            return resource.endsWith(".waitForTaskToken");
        }
    }

    record ChoiceBranch(ChoiceRule rule, String next) {}

    record Choice(String name, DataFlow flow, List<ChoiceBranch> choices, String defaultNext) implements State {}

    /** How long a Wait state waits: exactly one of the four fields. */
    sealed interface WaitFor {
        record Seconds(long seconds) implements WaitFor {}

        record Timestamp(java.time.Instant timestamp) implements WaitFor {}

        record SecondsPath(JsonPath path) implements WaitFor {}

        record TimestampPath(JsonPath path) implements WaitFor {}
    }

    record Wait(String name, DataFlow flow, String next, WaitFor waitFor) implements State, Transitioning {}

    record Succeed(String name, DataFlow flow) implements State {}

    /** ErrorPath/CausePath are a path or an intrinsic function; {@code null} when not given. */
    record Fail(
            String name,
            String error,
            String cause,
            IntrinsicArgument errorPath,
            IntrinsicArgument causePath) implements State {}

    record Parallel(
            String name,
            DataFlow flow,
            String next,
            List<StateGraph> branches,
            List<Retrier> retriers,
            List<Catcher> catchers) implements State, Transitioning {}

    record Map(
            String name,
            DataFlow flow,
            String next,
            JsonPath itemsPath,
            PayloadTemplate itemSelector,
            StateGraph itemProcessor,
            Integer maxConcurrency,
            JsonPath maxConcurrencyPath,
            Double toleratedFailurePercentage,
            JsonPath toleratedFailurePercentagePath,
            Integer toleratedFailureCount,
            JsonPath toleratedFailureCountPath,
            List<Retrier> retriers,
            List<Catcher> catchers) implements State, Transitioning {}
}
