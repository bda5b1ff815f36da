package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A running or finished execution: DescribeExecution's fields plus its history. */
public final class Execution {
    private final String name;
    private final String executionArn;
    private final StateMachineDefinition definition;
    private final ExecutionContext context;
    private final JsonNode input;
    private final Instant startDate;
    private final List<HistoryEvent> history = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private JsonNode output;
    private String error;
    private String errorCause;
    private Instant stopDate;
    private Future<?> runner;
    private Future<?> watchdog;
    private final EngineClock clock;
    private final Engine engine;

    Execution(Engine engine, String name, StateMachineDefinition definition, ExecutionContext context, JsonNode input,
            EngineClock clock) {
        this.engine = engine;
        this.name = name;
        this.executionArn = context.executionArn(name);
        this.definition = definition;
        this.context = context;
        this.input = input.deepCopy();
        this.clock = clock;
        this.startDate = clock.now();
    }

    public String name() {
        return name;
    }

    public String executionArn() {
        return executionArn;
    }

    public StateMachineDefinition definition() {
        return definition;
    }

    public ExecutionContext context() {
        return context;
    }

    public JsonNode input() {
        return input.deepCopy();
    }

    public Instant startDate() {
        return startDate;
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    /** The output once SUCCEEDED, otherwise {@code null}. */
    public synchronized JsonNode output() {
        return output == null ? null : output.deepCopy();
    }

    public synchronized String error() {
        return error;
    }

    public synchronized String cause() {
        return errorCause;
    }

    public synchronized Instant stopDate() {
        return stopDate;
    }

    public synchronized List<HistoryEvent> history() {
        return List.copyOf(history);
    }

    /** Waits until the execution stops or {@code timeout} (real time) passes; returns the status then. */
    public ExecutionStatus awaitCompletion(Duration timeout) throws InterruptedException {
        done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return status();
    }

    /** StopExecution: ABORTED with the given error and cause; no effect once the execution has stopped. */
    public void stop(String error, String cause) {
        ObjectNode details = Json.object();
        putIfPresent(details, "error", error);
        putIfPresent(details, "cause", cause);
        finish(ExecutionStatus.ABORTED, null, error, cause, "ExecutionAborted", "executionAbortedEventDetails", details,
                null);
    }

    // ---- engine side ----

    void started(Future<?> runner, Future<?> watchdog) {
        boolean stopped;
        synchronized (this) {
            this.runner = runner;
            this.watchdog = watchdog;
            stopped = status != ExecutionStatus.RUNNING;
        }
        if (stopped) {
            runner.cancel(true);
            if (watchdog != null) {
                watchdog.cancel(true);
            }
        }
    }

    /** Appends an event; ignored once the execution has stopped, as branches may still be unwinding. */
    HistoryEvent record(Lane lane, String type, String detailsField, ObjectNode details) {
        HistoryEvent event;
        synchronized (this) {
            if (status != ExecutionStatus.RUNNING) {
                return null;
            }
            event = append(lane == null ? 0 : lane.last, type, detailsField, details);
            if (lane != null) {
                lane.last = event.id();
            }
            // Under the lock, so listeners see events in history order even while branches race.
            context.listener().onEvent(this, event);
        }
        return event;
    }

    private HistoryEvent append(long previous, String type, String detailsField, ObjectNode details) {
        HistoryEvent event = new HistoryEvent(history.size() + 1, previous, clock.now(), type, detailsField, details);
        history.add(event);
        return event;
    }

    void succeeded(JsonNode result, Lane lane) {
        ObjectNode details = Json.object();
        details.put("output", Json.write(result));
        details.putObject("outputDetails").put("truncated", false);
        finish(ExecutionStatus.SUCCEEDED, result, null, null, "ExecutionSucceeded", "executionSucceededEventDetails",
                details, lane);
    }

    void failed(String failure, String cause, Lane lane) {
        ObjectNode details = Json.object();
        putIfPresent(details, "error", failure);
        putIfPresent(details, "cause", cause);
        finish(ExecutionStatus.FAILED, null, failure, cause, "ExecutionFailed", "executionFailedEventDetails", details,
                lane);
    }

    void timedOut() {
        String cause = "The execution exceeded the state machine's TimeoutSeconds ("
                + definition.timeoutSeconds() + ")";
        ObjectNode details = Json.object();
        details.put("error", StatesError.TIMEOUT);
        details.put("cause", cause);
        finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, cause, "ExecutionTimedOut",
                "executionTimedOutEventDetails", details, null);
    }

    private void finish(ExecutionStatus outcome, JsonNode result, String failure, String cause, String type,
            String detailsField, ObjectNode details, Lane lane) {
        HistoryEvent event;
        Future<?> toCancel;
        Future<?> watch;
        synchronized (this) {
            if (status != ExecutionStatus.RUNNING) {
                return;
            }
            event = append(lane != null ? lane.last : history.isEmpty() ? 0 : history.getLast().id(), type,
                    detailsField, details);
            context.listener().onEvent(this, event);
            status = outcome;
            output = result;
            error = failure;
            errorCause = cause;
            stopDate = clock.now();
            toCancel = outcome == ExecutionStatus.ABORTED || outcome == ExecutionStatus.TIMED_OUT ? runner : null;
            watch = watchdog;
        }
        engine.closeTokens(this);
        if (toCancel != null) {
            toCancel.cancel(true);
        }
        if (watch != null) {
            watch.cancel(true);
        }
        done.countDown();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** A chain of events within one branch or iteration, for {@code previousEventId}. */
    static final class Lane {
        long last;

        Lane(long last) {
            this.last = last;
        }

        Lane fork() {
            return new Lane(last);
        }
    }

    @Override
    public String toString() {
        return "Execution[" + executionArn + ", " + status() + "]";
    }
}
