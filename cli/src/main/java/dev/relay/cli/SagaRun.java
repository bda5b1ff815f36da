package dev.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.audit.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * One saga execution as a person reads it, from {@code DescribeExecution} and {@code GetExecutionHistory}: its status
 * and, state by state, what happened (attempts, the error that failed a step, the undo steps after a caught failure,
 * a step waiting for a person). Pass and Choice states are plumbing and are not shown.
 */
record SagaRun(String executionArn, String name, String status, Instant startedAt, Instant stoppedAt, String error,
        String cause, JsonNode input, List<Step> steps) {

    private static final Set<String> PLUMBING = Set.of("Pass", "Choice", "Parallel", "Map");
    private static final int CAUSE_LENGTH = 160;

    /**
     * A state the execution entered.
     *
     * @param kind     Task, Fail, Succeed, Wait, ...
     * @param outcome  running, waiting (for a task token), succeeded, failed, timed out; entered for other states
     * @param undo     whether it ran after a caught failure: a compensation
     */
    record Step(String state, String kind, int attempts, String outcome, String error, String cause, boolean undo) {}

    /** The execution, or empty when there is none with this ARN. */
    static Optional<SagaRun> load(SfnClient sfn, String executionArn) {
        try {
            DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(executionArn));
            List<HistoryEvent> history = new ArrayList<>();
            sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).includeExecutionData(false))
                    .events().forEach(history::add);
            return Optional.of(of(execution, history));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    /** The ARN of the execution named {@code name} of the state machine {@code stateMachineArn}. */
    static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    static SagaRun of(DescribeExecutionResponse execution, List<HistoryEvent> history) {
        List<MutableStep> steps = new ArrayList<>();
        MutableStep current = null;
        boolean caught = false;
        for (HistoryEvent event : history) {
            String type = event.typeAsString();
            if (type.endsWith("StateEntered")) {
                caught |= current != null && current.kind.equals("Task") && current.failed();
                String kind = type.substring(0, type.length() - "StateEntered".length());
                current = new MutableStep(event.stateEnteredEventDetails().name(), kind, caught && kind.equals("Task"));
                current.outcome = kind.equals("Task") ? "running" : kind.equals("Fail") ? "failed"
                        : kind.equals("Succeed") ? "succeeded" : "entered";
                steps.add(current);
                continue;
            }
            if (current == null) {
                continue;
            }
            switch (type) {
                case "TaskScheduled", "LambdaFunctionScheduled" -> {
                    current.attempts++;
                    current.outcome = "running";
                }
                case "TaskSubmitted" -> current.outcome = "waiting";
                case "TaskSucceeded", "LambdaFunctionSucceeded" -> current.outcome = "succeeded";
                case "TaskFailed" -> current.failed("failed", event.taskFailedEventDetails().error(),
                        event.taskFailedEventDetails().cause());
                case "LambdaFunctionFailed" -> current.failed("failed", event.lambdaFunctionFailedEventDetails().error(),
                        event.lambdaFunctionFailedEventDetails().cause());
                case "TaskTimedOut" -> current.failed("timed out", event.taskTimedOutEventDetails().error(),
                        event.taskTimedOutEventDetails().cause());
                case "LambdaFunctionTimedOut" -> current.failed("timed out", event.lambdaFunctionTimedOutEventDetails()
                        .error(), event.lambdaFunctionTimedOutEventDetails().cause());
                default -> { }
            }
        }
        JsonNode input = readJson(execution.input());
        return new SagaRun(execution.executionArn(), execution.name(), execution.statusAsString(),
                execution.startDate(), execution.stopDate(), execution.error(), execution.cause(), input,
                steps.stream().map(MutableStep::step).toList());
    }

    /** The order the saga is for, from its input. */
    Optional<String> orderId() {
        return Optional.ofNullable(input).map(i -> i.path("order").path("order_id").asText(null));
    }

    /** The header line and one line per step, as a tree. */
    Tree tree() {
        Tree tree = new Tree(headline());
        for (Step step : steps) {
            if (!PLUMBING.contains(step.kind())) {
                tree.add(line(step));
            }
        }
        return tree;
    }

    String headline() {
        StringBuilder line = new StringBuilder("saga execution ").append(name).append("  ").append(status);
        if (error != null) {
            line.append("  ").append(error).append(cause == null ? "" : ": " + readable(cause));
        }
        line.append("  (started ").append(Timestamps.format(startedAt));
        if (stoppedAt != null) {
            line.append(", took ").append(seconds(Duration.between(startedAt, stoppedAt))).append(" s");
        }
        return line.append(')').toString();
    }

    private String line(Step step) {
        StringBuilder line = new StringBuilder(String.format("%-20s %s", step.state(), step.outcome()));
        if (step.outcome().equals("waiting")) {
            line.append(" for a person: relay saga approve|deny ").append(orderId().orElse("ORDER"));
        }
        if (step.attempts() > 1) {
            line.append(" after ").append(step.attempts()).append(" attempts");
        }
        if (step.error() != null && !step.outcome().equals("succeeded")) {
            line.append(": ").append(step.error()).append(step.cause() == null ? "" : ": " + readable(step.cause()));
        }
        if (step.undo()) {
            line.append("  (compensation)");
        }
        return line.toString();
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object().put("execution_arn", executionArn).put("name", name).put("status", status)
                .put("started_at", Timestamps.format(startedAt))
                .put("stopped_at", stoppedAt == null ? null : Timestamps.format(stoppedAt))
                .put("error", error).put("cause", cause);
        orderId().ifPresent(id -> node.put("order_id", id));
        ArrayNode states = node.putArray("steps");
        for (Step step : steps) {
            states.addObject().put("state", step.state()).put("kind", step.kind()).put("attempts", step.attempts())
                    .put("outcome", step.outcome()).put("error", step.error()).put("cause", step.cause())
                    .put("compensation", step.undo());
        }
        return node;
    }

    /** A Lambda error's cause is JSON with an errorMessage: that is what a person wants to read. */
    private static String readable(String cause) {
        JsonNode json = readJson(cause);
        String text = json != null && json.hasNonNull("errorMessage") ? json.get("errorMessage").asText() : cause;
        return text.length() <= CAUSE_LENGTH ? text : text.substring(0, CAUSE_LENGTH - 1) + "…";
    }

    private static JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f", duration.toMillis() / 1000.0);
    }

    private static final class MutableStep {
        final String state;
        final String kind;
        final boolean undo;
        int attempts;
        String outcome;
        String error;
        String cause;

        MutableStep(String state, String kind, boolean undo) {
            this.state = state;
            this.kind = kind;
            this.undo = undo;
        }

        void failed(String how, String error, String cause) {
            this.outcome = how;
            this.error = error;
            this.cause = cause;
        }

        boolean failed() {
            return outcome.equals("failed") || outcome.equals("timed out");
        }

        Step step() {
            return new Step(state, kind, attempts, outcome, error, cause, undo);
        }
    }
}
