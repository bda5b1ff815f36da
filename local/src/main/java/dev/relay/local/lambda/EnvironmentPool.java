package dev.relay.local.lambda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * The execution environments of one function: started lazily, at most {@link FunctionSpec#maxConcurrency()} at once;
 * further invocations wait their turn (first come, first served). The most recently used idle environment is reused
 * first, so the others can stay cold. Broken environments are discarded and replaced on demand.
 */
final class EnvironmentPool {

    private final FunctionSpec spec;
    private final JavaRuntime runtime;
    private final FunctionLogSink sink;
    private final Semaphore permits;
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
    private final Set<ExecutionEnvironment> all = new HashSet<>();
    private int started;
    private boolean closed;

    EnvironmentPool(FunctionSpec spec, JavaRuntime runtime, FunctionLogSink sink) {
        this.spec = spec;
        this.runtime = runtime;
        this.sink = sink;
        this.permits = new Semaphore(spec.maxConcurrency(), true);
    }

    FunctionSpec spec() {
        return spec;
    }

    ExecutionEnvironment.Completed invoke(PendingInvocation invocation) {
        acquire();
        ExecutionEnvironment environment = null;
        try {
            environment = take();
            return environment.invoke(invocation);
        } finally {
            if (environment != null) {
                giveBack(environment);
            }
            permits.release();
        }
    }

    /**
     * Starts environments one after another, each init awaited, until the function has {@code count} (at most
     * {@link FunctionSpec#maxConcurrency()}); environments already running count.
     */
    void prewarm(int count) {
        int target = Math.min(count, spec.maxConcurrency());
        while (true) {
            acquire();
            ExecutionEnvironment environment = null;
            try {
                synchronized (this) {
                    if (closed) {
                        throw new IllegalStateException("function " + spec.name()
                                + ": the local Lambda service is closed");
                    }
                    if (all.size() >= target) {
                        return;
                    }
                    environment = new ExecutionEnvironment(spec, runtime, sink, ++started);
                    all.add(environment);
                }
                environment.prewarm();
            } finally {
                if (environment != null) {
                    giveBack(environment);
                }
                permits.release();
            }
        }
    }

    private void acquire() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an execution environment of " + spec.name(), e);
        }
    }

    private synchronized ExecutionEnvironment take() {
        if (closed) {
            throw new IllegalStateException("function " + spec.name() + ": the local Lambda service is closed");
        }
        while (!idle.isEmpty()) {
            ExecutionEnvironment environment = idle.pop();
            if (environment.usable()) {
                return environment;
            }
            all.remove(environment);
            environment.destroy();
        }
        ExecutionEnvironment environment = new ExecutionEnvironment(spec, runtime, sink, ++started);
        all.add(environment);
        return environment;
    }

    private void giveBack(ExecutionEnvironment environment) {
        synchronized (this) {
            if (!closed && environment.usable()) {
                idle.push(environment);
                return;
            }
            all.remove(environment);
        }
        environment.destroy();
    }

    /** Stops taking invocations and kills every environment; returns them for the caller to {@code destroy()}. */
    List<ExecutionEnvironment> close() {
        List<ExecutionEnvironment> environments;
        synchronized (this) {
            closed = true;
            environments = new ArrayList<>(all);
            all.clear();
            idle.clear();
        }
        environments.forEach(ExecutionEnvironment::kill);
        return environments;
    }
}
