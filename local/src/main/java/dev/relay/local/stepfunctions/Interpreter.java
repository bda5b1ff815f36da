package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.stepfunctions.Execution.Lane;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** Runs one execution: the states, their input/output processing, Retry/Catch and the history they write. */
final class Interpreter {
    /** Step Functions' payload quota for a state's input or output. */
    private static final int PAYLOAD_LIMIT_BYTES = 256 * 1024;

    private final Engine engine;
    private final Execution execution;
    private final EngineClock clock;
    private final JsonNode executionInput;

    Interpreter(Engine engine, Execution execution) {
        this.engine = engine;
        this.execution = execution;
        this.clock = engine.clock();
        this.executionInput = execution.input();
    }

    /** What a state does next: go to another state, or end its (sub-)machine. */
    private sealed interface Step {
        JsonNode output();

        record Next(String state, JsonNode output) implements Step {}

        record End(JsonNode output) implements Step {}
    }

    /** The execution was stopped or timed out, or a sibling branch failed: unwind without writing history. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** One entry into a state, for the context object. */
    private record Visit(State state, Instant entered) {}

    void run() {
        Lane lane = new Lane(0);
        ObjectNode details = Json.object();
        details.put("input", Json.write(executionInput));
        details.putObject("inputDetails").put("truncated", false);
        details.put("roleArn", execution.context().roleArn());
        execution.record(lane, "ExecutionStarted", "executionStartedEventDetails", details);
        try {
            JsonNode output = runGraph(execution.definition().graph(), executionInput, lane);
            execution.succeeded(output, lane);
        } catch (StatesError e) {
            execution.failed(e.error(), e.cause(), lane);
        } catch (Stopped e) {
            // the status was already set by stop() or the execution timeout
        } catch (RuntimeException e) {
            execution.failed(StatesError.RUNTIME, "Internal error in the local engine: " + e, lane);
        }
    }

    private JsonNode runGraph(StateGraph graph, JsonNode input, Lane lane) {
        String name = graph.startAt();
        JsonNode data = input;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Stopped();
            }
            Step step = runState(graph.state(name), data, lane);
            if (step instanceof Step.Next next) {
                name = next.state();
                data = next.output();
            } else {
                return step.output();
            }
        }
    }

    private Step runState(State state, JsonNode input, Lane lane) {
        Visit visit = new Visit(state, clock.now());
        ObjectNode entered = Json.object();
        entered.put("name", state.name());
        entered.put("input", Json.write(input));
        entered.putObject("inputDetails").put("truncated", false);
        execution.record(lane, state.type() + "StateEntered", "stateEnteredEventDetails", entered);
        Step step = switch (state) {
            case State.Pass pass -> transition(pass.next(), pass(pass, input, visit));
            case State.Task task -> withRetryAndCatch(task.retriers(), task.catchers(), task.next(), input, lane,
                    retry -> task(task, input, visit, retry, lane));
            case State.Choice choice -> choice(choice, input, visit);
            case State.Wait wait -> transition(wait.next(), waitState(wait, input));
            case State.Succeed succeed -> new Step.End(outputPath(succeed.flow().outputPath(),
                    inputPath(succeed.flow().inputPath(), input, succeed), succeed));
            case State.Fail fail -> throw fail(fail, input, visit);
            case State.Parallel parallel -> withRetryAndCatch(parallel.retriers(), parallel.catchers(),
                    parallel.next(), input, lane, retry -> parallel(parallel, input, visit, retry, lane));
            case State.Map map -> withRetryAndCatch(map.retriers(), map.catchers(), map.next(), input, lane,
                    retry -> map(map, input, visit, retry, lane));
        };
        if (Json.write(step.output()).getBytes(StandardCharsets.UTF_8).length > PAYLOAD_LIMIT_BYTES) {
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + state.name()
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
        ObjectNode exited = Json.object();
        exited.put("name", state.name());
        exited.put("output", Json.write(step.output()));
        exited.putObject("outputDetails").put("truncated", false);
        execution.record(lane, state.type() + "StateExited", "stateExitedEventDetails", exited);
        return step;
    }

    private static Step transition(String next, JsonNode output) {
        return next == null ? new Step.End(output) : new Step.Next(next, output);
    }

    // ---- Retry and Catch ----

    @FunctionalInterface
    private interface Attempt {
        JsonNode run(int retryCount);
    }

    /** Retriers in order, first match wins, each with its own attempt count; Catchers once retries are spent. */
    private Step withRetryAndCatch(List<State.Retrier> retriers, List<State.Catcher> catchers, String next,
            JsonNode rawInput, Lane lane, Attempt attempt) {
        int[] attempts = new int[retriers.size()];
        int retryCount = 0;
        while (true) {
            try {
                return transition(next, attempt.run(retryCount));
            } catch (StatesError e) {
                if (e.isTerminal() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                int matched = -1;
                for (int i = 0; i < retriers.size() && matched < 0; i++) {
                    if (e.matches(retriers.get(i).errorEquals())) {
                        matched = i;
                    }
                }
                if (matched >= 0 && attempts[matched] < retriers.get(matched).maxAttempts()) {
                    Duration delay = backoff(retriers.get(matched), attempts[matched]);
                    attempts[matched]++;
                    retryCount++;
                    sleep(delay);
                    continue;
                }
                for (State.Catcher catcher : catchers) {
                    if (e.matches(catcher.errorEquals())) {
                        return new Step.Next(catcher.next(), resultPath(catcher.resultPath(), rawInput,
                                errorOutput(e), "Catch"));
                    }
                }
                throw e;
            }
        }
    }

    /** IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds; FULL jitter draws from [0, that]. */
    static Duration backoff(State.Retrier retrier, int attempt) {
        double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), attempt);
        if (retrier.maxDelaySeconds() != null) {
            seconds = Math.min(seconds, retrier.maxDelaySeconds());
        }
        if (retrier.jitter() == State.Jitter.FULL) {
            seconds = ThreadLocalRandom.current().nextDouble(0, seconds);
        }
        return Duration.ofNanos((long) (seconds * 1_000_000_000L));
    }

    private static ObjectNode errorOutput(StatesError e) {
        ObjectNode output = Json.object();
        if (e.error() != null) {
            output.put("Error", e.error());
        }
        if (e.cause() != null) {
            output.put("Cause", e.cause());
        }
        return output;
    }

    // ---- input and output processing ----

    private static JsonNode inputPath(JsonPath path, JsonNode raw, State state) {
        return select(path, raw, state, "InputPath");
    }

    private static JsonNode outputPath(JsonPath path, JsonNode data, State state) {
        return select(path, data, state, "OutputPath");
    }

    private static JsonNode select(JsonPath path, JsonNode data, State state, String field) {
        if (path == null) {
            return Json.object();
        }
        JsonNode selected = path.read(data);
        if (selected.isMissingNode()) {
            throw new StatesError(StatesError.RUNTIME, "Invalid path '" + path + "' in the " + field + " of state '"
                    + state.name() + "': no value at that path in " + Json.write(data));
        }
        return selected;
    }

    private static JsonNode resultPath(JsonPath path, JsonNode raw, JsonNode result, String stateName) {
        if (path == null) {
            return raw;
        }
        try {
            return path.write(raw, result);
        } catch (JsonPath.PathException e) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath '" + path
                    + "' of state '" + stateName + "' to the input " + Json.write(raw) + ": " + e.getMessage());
        }
    }

    private JsonNode finishFlow(State state, State.DataFlow flow, JsonNode raw, JsonNode result, ObjectNode context) {
        JsonNode selected = flow.resultSelector() == null ? result : flow.resultSelector().evaluate(result, context);
        return outputPath(flow.outputPath(), resultPath(flow.resultPath(), raw, selected, state.name()), state);
    }

    private ObjectNode context(Visit visit, int retryCount, String taskToken) {
        ObjectNode context = Json.object();
        ObjectNode executionNode = context.putObject("Execution");
        executionNode.put("Id", execution.executionArn());
        executionNode.set("Input", executionInput);
        executionNode.put("Name", execution.name());
        executionNode.put("RoleArn", execution.context().roleArn());
        executionNode.put("StartTime", Json.timestamp(execution.startDate()));
        executionNode.put("RedriveCount", 0);
        ObjectNode state = context.putObject("State");
        state.put("EnteredTime", Json.timestamp(visit.entered()));
        state.put("Name", visit.state().name());
        state.put("RetryCount", retryCount);
        ObjectNode machine = context.putObject("StateMachine");
        machine.put("Id", execution.context().stateMachineArn());
        machine.put("Name", execution.context().stateMachineName());
        if (taskToken != null) {
            context.putObject("Task").put("Token", taskToken);
        }
        return context;
    }

    // ---- states ----

    private JsonNode pass(State.Pass pass, JsonNode raw, Visit visit) {
        JsonNode effective = inputPath(pass.flow().inputPath(), raw, pass);
        JsonNode result = pass.flow().parameters() == null ? effective
                : pass.flow().parameters().evaluate(effective, context(visit, 0, null));
        if (pass.result() != null) {
            result = pass.result().deepCopy();
        }
        return outputPath(pass.flow().outputPath(), resultPath(pass.flow().resultPath(), raw, result, pass.name()),
                pass);
    }

    private Step choice(State.Choice choice, JsonNode raw, Visit visit) {
        JsonNode effective = inputPath(choice.flow().inputPath(), raw, choice);
        ObjectNode context = context(visit, 0, null);
        String next = null;
        for (State.ChoiceBranch branch : choice.choices()) {
            if (branch.rule().test(effective, context)) {
                next = branch.next();
                break;
            }
        }
        if (next == null) {
            next = choice.defaultNext();
        }
        if (next == null) {
            throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Choice Rule of state '" + choice.name()
                    + "' matched the input and it has no Default");
        }
        return new Step.Next(next, outputPath(choice.flow().outputPath(), effective, choice));
    }

    private JsonNode waitState(State.Wait wait, JsonNode raw) {
        JsonNode effective = inputPath(wait.flow().inputPath(), raw, wait);
        Duration duration = switch (wait.waitFor()) {
            case State.WaitFor.Seconds seconds -> Duration.ofSeconds(seconds.seconds());
            case State.WaitFor.Timestamp timestamp -> Duration.between(clock.now(), timestamp.timestamp());
            case State.WaitFor.SecondsPath path -> {
                JsonNode value = path.path().read(effective);
                if (!value.isIntegralNumber() || value.asLong() < 0) {
                    throw new StatesError(StatesError.RUNTIME, "The SecondsPath '" + path.path() + "' of state '"
                            + wait.name() + "' must point to a non-negative integer, found " + Json.describe(value));
                }
                yield Duration.ofSeconds(value.asLong());
            }
            case State.WaitFor.TimestampPath path -> {
                JsonNode value = path.path().read(effective);
                Instant until = ChoiceRule.Comparison.timestamp(value);
                if (until == null) {
                    throw new StatesError(StatesError.RUNTIME, "The TimestampPath '" + path.path() + "' of state '"
                            + wait.name() + "' must point to an RFC 3339 timestamp, found " + Json.describe(value));
                }
                yield Duration.between(clock.now(), until);
            }
        };
        if (duration.isPositive()) {
            sleep(duration);
        }
        return outputPath(wait.flow().outputPath(), effective, wait);
    }

    private StatesError fail(State.Fail fail, JsonNode raw, Visit visit) {
        ObjectNode context = context(visit, 0, null);
        String error = fail.errorPath() == null ? fail.error() : text(fail, "ErrorPath", fail.errorPath(), raw, context);
        String cause = fail.causePath() == null ? fail.cause() : text(fail, "CausePath", fail.causePath(), raw, context);
        return new StatesError(error, cause);
    }

    private static String text(State state, String field, IntrinsicArgument source, JsonNode raw, JsonNode context) {
        JsonNode value = IntrinsicArgument.evaluate(source, raw, context);
        if (!value.isTextual()) {
            throw new StatesError(StatesError.RUNTIME, "The " + field + " of state '" + state.name()
                    + "' must resolve to a string, found " + Json.describe(value));
        }
        return value.asText();
    }

    // ---- Task ----

    /** How a resource appears in history: legacy Lambda ARNs get LambdaFunction* events, the rest Task*. */
    private record Resource(String arn, boolean lambdaArn, String resourceType, String resource) {
        static Resource of(String arn) {
            if (arn.startsWith("arn:aws:lambda:")) {
                return new Resource(arn, true, "lambda", arn);
            }
            String service = arn.startsWith("arn:aws:states:::") ? arn.substring("arn:aws:states:::".length()) : arn;
            int colon = service.lastIndexOf(':');
            return colon < 0 ? new Resource(arn, false, service, service)
                    : new Resource(arn, false, service.substring(0, colon), service.substring(colon + 1));
        }

        ObjectNode details() {
            ObjectNode details = Json.object();
            if (!lambdaArn) {
                details.put("resourceType", resourceType);
                details.put("resource", resource);
            }
            return details;
        }
    }

    private JsonNode task(State.Task task, JsonNode raw, Visit visit, int retryCount, Lane lane) {
        JsonNode effective = inputPath(task.flow().inputPath(), raw, task);
        Engine.PendingTask pending = task.waitsForTaskToken() ? engine.openTask(execution) : null;
        try {
            ObjectNode context = context(visit, retryCount, pending == null ? null : pending.token());
            JsonNode parameters = task.flow().parameters() == null ? effective
                    : task.flow().parameters().evaluate(effective, context);
            Integer timeout = seconds(task, "TimeoutSecondsPath", task.timeoutSeconds(), task.timeoutSecondsPath(),
                    effective);
            Integer heartbeat = seconds(task, "HeartbeatSecondsPath", task.heartbeatSeconds(),
                    task.heartbeatSecondsPath(), effective);
            Resource resource = Resource.of(task.resource());
            ObjectNode scheduled = resource.details();
            if (resource.lambdaArn()) {
                scheduled.put("resource", resource.arn());
                scheduled.put("input", Json.write(parameters));
                scheduled.putObject("inputDetails").put("truncated", false);
            } else {
                scheduled.put("region", region());
                scheduled.put("parameters", Json.write(parameters));
            }
            if (timeout != null) {
                scheduled.put("timeoutInSeconds", timeout);
            }
            if (heartbeat != null && !resource.lambdaArn()) {
                scheduled.put("heartbeatInSeconds", heartbeat);
            }
            String prefix = resource.lambdaArn() ? "LambdaFunction" : "Task";
            String detailsPrefix = resource.lambdaArn() ? "lambdaFunction" : "task";
            execution.record(lane, prefix + "Scheduled", detailsPrefix + "ScheduledEventDetails", scheduled);
            if (resource.lambdaArn()) {
                execution.record(lane, "LambdaFunctionStarted", null, null);
            } else {
                execution.record(lane, "TaskStarted", "taskStartedEventDetails", resource.details());
            }
            Instant deadline = timeout == null ? null : clock.now().plusSeconds(timeout);
            JsonNode result;
            try {
                TaskRequest request = new TaskRequest(task.resource(), parameters,
                        pending == null ? null : pending.token(), deadline, task.name(), execution.executionArn());
                result = callResource(request, deadline, timeout);
                if (pending != null) {
                    ObjectNode submitted = resource.details();
                    submitted.put("output", Json.write(result == null ? Json.NODES.nullNode() : result));
                    submitted.putObject("outputDetails").put("truncated", false);
                    execution.record(lane, "TaskSubmitted", "taskSubmittedEventDetails", submitted);
                    // AWS starts the HeartbeatSeconds countdown once the task is submitted (a Lambda has returned).
                    pending.heartbeat(clock.now());
                    result = awaitCallback(pending, deadline, heartbeat, timeout);
                }
            } catch (StatesError e) {
                boolean timedOut = StatesError.TIMEOUT.equals(e.error())
                        || StatesError.HEARTBEAT_TIMEOUT.equals(e.error());
                ObjectNode failed = resource.details();
                if (e.error() != null) {
                    failed.put("error", e.error());
                }
                if (e.cause() != null) {
                    failed.put("cause", e.cause());
                }
                String outcome = timedOut ? "TimedOut" : "Failed";
                execution.record(lane, prefix + outcome, detailsPrefix + outcome + "EventDetails", failed);
                throw e;
            }
            if (result == null) {
                result = Json.NODES.nullNode();
            }
            ObjectNode succeeded = resource.details();
            succeeded.put("output", Json.write(result));
            succeeded.putObject("outputDetails").put("truncated", false);
            execution.record(lane, prefix + "Succeeded", detailsPrefix + "SucceededEventDetails", succeeded);
            return finishFlow(task, task.flow(), raw, result, context);
        } finally {
            if (pending != null) {
                engine.closeTask(pending);
            }
        }
    }

    private String region() {
        String[] parts = execution.executionArn().split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : "us-east-1";
    }

    private static Integer seconds(State state, String field, Integer fixed, JsonPath path, JsonNode effective) {
        if (path == null) {
            return fixed;
        }
        JsonNode value = path.read(effective);
        if (!value.isIntegralNumber() || value.asLong() <= 0 || !value.canConvertToInt()) {
            throw new StatesError(StatesError.RUNTIME, "The " + field + " '" + path + "' of state '" + state.name()
                    + "' must point to a positive integer, found " + Json.describe(value));
        }
        return value.asInt();
    }

    private JsonNode callResource(TaskRequest request, Instant deadline, Integer timeout) {
        Future<JsonNode> call = engine.submit(() -> engine.invoker().invoke(request));
        try {
            if (deadline == null) {
                return call.get();
            }
            return clock.await(call, nonNegative(Duration.between(clock.now(), deadline)));
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StatesError(StatesError.TIMEOUT, "The task did not finish within TimeoutSeconds (" + timeout
                    + ")");
        } catch (ExecutionException e) {
            throw asStatesError(e.getCause());
        } catch (InterruptedException | CancellationException e) {
            call.cancel(true);
            throw new Stopped();
        }
    }

    /** Waits for SendTaskSuccess/Failure; HeartbeatSeconds restarts with every SendTaskHeartbeat. */
    private JsonNode awaitCallback(Engine.PendingTask pending, Instant deadline, Integer heartbeat, Integer timeout) {
        while (true) {
            Instant now = clock.now();
            Instant heartbeatDeadline = heartbeat == null ? null : pending.lastHeartbeat().plusSeconds(heartbeat);
            Instant limit = deadline == null ? heartbeatDeadline
                    : heartbeatDeadline == null || deadline.isBefore(heartbeatDeadline) ? deadline : heartbeatDeadline;
            try {
                if (limit == null) {
                    return pending.result().get();
                }
                if (!now.isBefore(limit)) {
                    if (limit.equals(heartbeatDeadline)) {
                        throw new StatesError(StatesError.HEARTBEAT_TIMEOUT, "No heartbeat for the task token within "
                                + "HeartbeatSeconds (" + heartbeat + ")");
                    }
                    throw new StatesError(StatesError.TIMEOUT, "The task did not finish within TimeoutSeconds ("
                            + timeout + ")");
                }
                return clock.await(pending.result(), Duration.between(now, limit));
            } catch (TimeoutException e) {
                // loop: a heartbeat may have moved the deadline
            } catch (ExecutionException e) {
                throw asStatesError(e.getCause());
            } catch (InterruptedException | CancellationException e) {
                throw new Stopped();
            }
        }
    }

    private static StatesError asStatesError(Throwable failure) {
        if (failure instanceof StatesError error) {
            return error;
        }
        if (failure instanceof Stopped stopped) {
            throw stopped;
        }
        return new StatesError(StatesError.TASK_FAILED, String.valueOf(failure));
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private void sleep(Duration duration) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            throw new Stopped();
        }
    }

    // ---- Parallel ----

    private JsonNode parallel(State.Parallel parallel, JsonNode raw, Visit visit, int retryCount, Lane lane) {
        JsonNode effective = inputPath(parallel.flow().inputPath(), raw, parallel);
        ObjectNode context = context(visit, retryCount, null);
        JsonNode branchInput = parallel.flow().parameters() == null ? effective
                : parallel.flow().parameters().evaluate(effective, context);
        execution.record(lane, "ParallelStateStarted", null, null);
        ExecutorCompletionService<JsonNode> completions = new ExecutorCompletionService<>(engine.threads());
        HashMap<Future<JsonNode>, Integer> indexes = new HashMap<>();
        List<Future<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < parallel.branches().size(); i++) {
            StateGraph branch = parallel.branches().get(i);
            Lane branchLane = lane.fork();
            JsonNode input = branchInput.deepCopy();
            Future<JsonNode> future = completions.submit(() -> runGraph(branch, input, branchLane));
            futures.add(future);
            indexes.put(future, i);
        }
        JsonNode[] results = new JsonNode[futures.size()];
        try {
            for (int done = 0; done < futures.size(); done++) {
                Future<JsonNode> future = completions.take();
                try {
                    results[indexes.get(future)] = future.get();
                } catch (ExecutionException e) {
                    // AWS fails the Parallel state with the failing branch's own error and cause.
                    StatesError error = asStatesError(e.getCause());
                    cancel(futures);
                    execution.record(lane, "ParallelStateFailed", null, null);
                    throw error;
                }
            }
        } catch (InterruptedException e) {
            cancel(futures);
            throw new Stopped();
        }
        execution.record(lane, "ParallelStateSucceeded", null, null);
        ArrayNode output = Json.NODES.arrayNode();
        for (JsonNode result : results) {
            output.add(result);
        }
        return finishFlow(parallel, parallel.flow(), raw, output, context);
    }

    private static void cancel(List<? extends Future<?>> futures) {
        futures.forEach(future -> future.cancel(true));
    }

    // ---- Map ----

    private JsonNode map(State.Map map, JsonNode raw, Visit visit, int retryCount, Lane lane) {
        JsonNode effective = inputPath(map.flow().inputPath(), raw, map);
        ObjectNode context = context(visit, retryCount, null);
        JsonNode items = map.itemsPath().read(effective);
        if (!items.isArray()) {
            throw new StatesError(StatesError.RUNTIME, "The ItemsPath '" + map.itemsPath() + "' of state '"
                    + map.name() + "' must point to an array, found " + Json.describe(items));
        }
        int maxConcurrency = map.maxConcurrencyPath() == null
                ? (map.maxConcurrency() == null ? 0 : map.maxConcurrency())
                : nonNegativeInt(map, "MaxConcurrencyPath", map.maxConcurrencyPath(), effective);
        Integer toleratedCount = map.toleratedFailureCountPath() == null ? map.toleratedFailureCount()
                : Integer.valueOf(nonNegativeInt(map, "ToleratedFailureCountPath", map.toleratedFailureCountPath(),
                        effective));
        Double toleratedPercentage = map.toleratedFailurePercentagePath() == null ? map.toleratedFailurePercentage()
                : Double.valueOf(nonNegativeInt(map, "ToleratedFailurePercentagePath",
                        map.toleratedFailurePercentagePath(), effective));
        boolean tolerant = toleratedCount != null || toleratedPercentage != null;
        int total = items.size();
        ObjectNode started = Json.object();
        started.put("length", total);
        execution.record(lane, "MapStateStarted", "mapStateStartedEventDetails", started);

        ExecutorCompletionService<JsonNode> completions = new ExecutorCompletionService<>(engine.threads());
        HashMap<Future<JsonNode>, Integer> indexes = new HashMap<>();
        List<Future<JsonNode>> futures = new ArrayList<>();
        JsonNode[] results = new JsonNode[total];
        int submitted = 0;
        int running = 0;
        int failed = 0;
        boolean finished = false;
        try {
            for (int completed = 0; completed < total; completed++) {
                // Dispatch from this thread, in item order, so MaxConcurrency 1 processes items strictly in sequence.
                while (submitted < total && (maxConcurrency == 0 || running < maxConcurrency)) {
                    int index = submitted++;
                    JsonNode item = items.get(index);
                    JsonNode itemInput = item;
                    if (map.itemSelector() != null) {
                        ObjectNode itemContext = context.deepCopy();
                        ObjectNode itemNode = itemContext.putObject("Map").putObject("Item");
                        itemNode.put("Index", index);
                        itemNode.set("Value", item);
                        itemInput = map.itemSelector().evaluate(effective, itemContext);
                    }
                    execution.record(lane, "MapIterationStarted", "mapIterationStartedEventDetails",
                            iteration(map, index));
                    Lane iterationLane = lane.fork();
                    JsonNode input = itemInput.deepCopy();
                    Future<JsonNode> future = completions.submit(
                            () -> runGraph(map.itemProcessor(), input, iterationLane));
                    futures.add(future);
                    indexes.put(future, index);
                    running++;
                }
                Future<JsonNode> future = completions.take();
                running--;
                int index = indexes.get(future);
                try {
                    results[index] = future.get();
                    execution.record(lane, "MapIterationSucceeded", "mapIterationSucceededEventDetails",
                            iteration(map, index));
                } catch (ExecutionException e) {
                    StatesError error = asStatesError(e.getCause());
                    execution.record(lane, "MapIterationFailed", "mapIterationFailedEventDetails",
                            iteration(map, index));
                    failed++;
                    if (!tolerant || error.isTerminal()) {
                        execution.record(lane, "MapStateFailed", null, null);
                        throw error;
                    }
                    results[index] = errorOutput(error);
                    if (toleratedCount != null && failed > toleratedCount
                            || toleratedPercentage != null && failed * 100.0 / total > toleratedPercentage) {
                        execution.record(lane, "MapStateFailed", null, null);
                        throw new StatesError(StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD, "The Map state '"
                                + map.name() + "' failed " + failed + " of " + total
                                + " items, more than its tolerated failure threshold");
                    }
                }
            }
            finished = true;
        } catch (InterruptedException e) {
            throw new Stopped();
        } finally {
            if (!finished) {
                cancel(futures);
            }
        }
        execution.record(lane, "MapStateSucceeded", null, null);
        ArrayNode output = Json.NODES.arrayNode();
        for (JsonNode result : results) {
            output.add(result);
        }
        return finishFlow(map, map.flow(), raw, output, context);
    }

    private static ObjectNode iteration(State.Map map, int index) {
        ObjectNode details = Json.object();
        details.put("name", map.name());
        details.put("index", index);
        return details;
    }

    private static int nonNegativeInt(State state, String field, JsonPath path, JsonNode effective) {
        JsonNode value = path.read(effective);
        if (!value.isIntegralNumber() || value.asLong() < 0 || !value.canConvertToInt()) {
            throw new StatesError(StatesError.RUNTIME, "The " + field + " '" + path + "' of state '" + state.name()
                    + "' must point to a non-negative integer, found " + Json.describe(value));
        }
        return value.asInt();
    }
}
