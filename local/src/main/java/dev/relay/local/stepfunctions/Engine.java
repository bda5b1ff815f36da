package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs executions of parsed state machines. Each execution, Parallel branch, Map iteration and task call runs
 * on its own virtual thread, so waiting (Wait states, retries, task tokens) costs no platform thread.
 */
public final class Engine implements AutoCloseable {
    /** What AWS forbids in an execution name: whitespace, brackets, wildcards, some punctuation, control characters. */
    private static final Pattern FORBIDDEN_IN_NAME =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1F\\x7F-\\x9F]");

    private final TaskInvoker invoker;
    private final EngineClock clock;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, PendingTask> pendingTasks = new ConcurrentHashMap<>();
    private final Set<String> closedTokens = ConcurrentHashMap.newKeySet();

    public Engine(TaskInvoker invoker) {
        this(invoker, EngineClock.system());
    }

    public Engine(TaskInvoker invoker, EngineClock clock) {
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * StartExecution: begins running {@code definition} asynchronously and returns its handle at once.
     *
     * @param executionName the execution's name, its identity within the machine (see {@link #isValidName})
     */
    public Execution start(StateMachineDefinition definition, String executionName, JsonNode input,
            ExecutionContext context) {
        if (!isValidName(executionName)) {
            throw new IllegalArgumentException("Invalid execution name '" + executionName + "': 1 to 80 characters, "
                    + "without whitespace, brackets, wildcards, control characters or any of "
                    + "\" # % \\ ^ | ~ ` $ & , ; : /");
        }
        Execution execution = new Execution(this, executionName, definition, context,
                input == null ? Json.object() : input, clock);
        Interpreter interpreter = new Interpreter(this, execution);
        Future<?> runner = threads.submit(interpreter::run);
        Future<?> watchdog = definition.timeoutSeconds() == null ? null : threads.submit(() -> {
            try {
                // A deadline, like a task's TimeoutSeconds: awaited, not slept (see EngineClock.accelerated).
                clock.await(runner, Duration.ofSeconds(definition.timeoutSeconds()));
            } catch (TimeoutException e) {
                execution.timedOut();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | CancellationException e) {
                // the execution ended on its own
            }
        });
        execution.started(runner, watchdog);
        return execution;
    }

    /**
     * Whether Step Functions accepts {@code name} for an execution: 1 to 80 characters, none of them whitespace,
     * {@code < > { } [ ] ? *}, {@code " # % \\ ^ | ~ ` $ & , ; : /} or a control character.
     */
    public static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 80 && !FORBIDDEN_IN_NAME.matcher(name).find();
    }

    /** Starts an execution with a generated name. */
    public Execution start(StateMachineDefinition definition, JsonNode input, ExecutionContext context) {
        return start(definition, UUID.randomUUID().toString(), input, context);
    }

    /**
     * Checks every Task of {@code definition} with the invoker, as CreateStateMachine checks resources.
     *
     * @throws DefinitionException listing each problem with the state it is in
     */
    public void checkTasks(StateMachineDefinition definition) {
        List<String> problems = new ArrayList<>();
        for (StateMachineDefinition.TaskDeclaration task : definition.tasks()) {
            invoker.check(task).forEach(problem -> problems.add(task.location() + "." + problem));
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
    }

    /** SendTaskSuccess: completes the {@code .waitForTaskToken} task holding {@code token} with {@code output}. */
    public void sendTaskSuccess(String token, JsonNode output) {
        pending(token).result().complete(output == null ? Json.NODES.nullNode() : output.deepCopy());
    }

    /** SendTaskFailure: fails the task holding {@code token}; its Retry and Catch see {@code error}. */
    public void sendTaskFailure(String token, String error, String cause) {
        pending(token).result().completeExceptionally(new TaskFailure(error == null ? "" : error, cause));
    }

    /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds countdown. */
    public void sendTaskHeartbeat(String token) {
        pending(token).heartbeat(clock.now());
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    // ---- for the interpreter ----

    TaskInvoker invoker() {
        return invoker;
    }

    EngineClock clock() {
        return clock;
    }

    <T> Future<T> submit(java.util.concurrent.Callable<T> work) {
        return threads.submit(work);
    }

    java.util.concurrent.Executor threads() {
        return threads;
    }

    PendingTask openTask(Execution execution) {
        PendingTask task = new PendingTask(UUID.randomUUID().toString(), execution, new CompletableFuture<>(),
                clock.now());
        pendingTasks.put(task.token(), task);
        return task;
    }

    void closeTask(PendingTask task) {
        closedTokens.add(task.token());
        pendingTasks.remove(task.token());
    }

    /** Tokens of a stopped execution are closed: late callbacks get TaskTimedOut, as in AWS. */
    void closeTokens(Execution execution) {
        pendingTasks.values().removeIf(task -> {
            if (task.execution() == execution) {
                closedTokens.add(task.token());
                task.result().cancel(true);
                return true;
            }
            return false;
        });
    }

    private PendingTask pending(String token) {
        PendingTask task = token == null ? null : pendingTasks.get(token);
        if (task == null) {
            if (token != null && closedTokens.contains(token)) {
                throw new TaskTokenException.TaskTimedOut(token);
            }
            throw new TaskTokenException.TaskDoesNotExist(token);
        }
        return task;
    }

    /** A {@code .waitForTaskToken} task waiting for its callback. */
    static final class PendingTask {
        private final String token;
        private final Execution execution;
        private final CompletableFuture<JsonNode> result;
        private volatile Instant lastHeartbeat;

        PendingTask(String token, Execution execution, CompletableFuture<JsonNode> result, Instant opened) {
            this.token = token;
            this.execution = execution;
            this.result = result;
            this.lastHeartbeat = opened;
        }

        String token() {
            return token;
        }

        Execution execution() {
            return execution;
        }

        CompletableFuture<JsonNode> result() {
            return result;
        }

        Instant lastHeartbeat() {
            return lastHeartbeat;
        }

        void heartbeat(Instant at) {
            lastHeartbeat = at;
        }
    }
}
