package dev.relay.local.lambda;

import dev.relay.local.edge.EdgeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One Lambda execution environment: a JVM running the runtime interface client and the function, its own Runtime API
 * server, and its log stream. It runs one invocation at a time; after a timeout, a crash or an init error it is dead
 * and its owner starts a fresh one, as Lambda does.
 */
final class ExecutionEnvironment {

    private static final Logger LOG = LogManager.getLogger(ExecutionEnvironment.class);
    /** Extra time a starting JVM gets beyond the function timeout before it counts as timed out (Lambda: 10 s init). */
    private static final long INIT_GRACE_MILLIS = 10_000;

    private final FunctionSpec spec;
    private final JavaRuntime runtime;
    private final FunctionLogSink sink;
    private final int number;

    private RuntimeApi api;
    private EdgeServer server;
    private Process process;
    private OutputPump pump;
    private long startNanos;
    private boolean initReported;
    private long maxMemoryKb;
    private volatile LogTail capture;
    private volatile PendingInvocation current;
    private volatile Integer exitCode;
    private volatile boolean dead;
    private boolean destroyed;

    ExecutionEnvironment(FunctionSpec spec, JavaRuntime runtime, FunctionLogSink sink, int number) {
        this.spec = spec;
        this.runtime = runtime;
        this.sink = sink;
        this.number = number;
    }

    /** The outcome of one invocation, with what the environment's owner needs to know. */
    record Completed(InvocationResult result, byte[] logTail) {
    }

    /** True while the process runs and nothing has broken it. */
    boolean usable() {
        return !dead && (process == null || process.isAlive());
    }

    /** Starts the JVM (if not yet started) and waits until the runtime asks for its first invocation. */
    void prewarm() {
        if (process == null) {
            start();
        }
        try {
            CompletableFuture.anyOf(api.ready(), process.onExit())
                    .get(spec.timeoutSeconds() * 1000L + INIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("function {}: environment {} did not finish init while prewarming", spec.name(), number);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one invocation to its end: a response, a function error, a timeout or a crash. */
    Completed invoke(PendingInvocation invocation) {
        LogTail tail = new LogTail();
        capture = tail;
        try {
            if (process == null) {
                start();
            }
            current = invocation;
            Integer exited = exitCode;
            if (exited != null) {
                invocation.outcome.complete(new RuntimeOutcome.Exited(exited));
            }
            api.assign(invocation);
            if (api.initFailure() != null) {
                invocation.outcome.complete(api.initFailure());
            }
            return await(invocation, tail);
        } finally {
            current = null;
            capture = null;
        }
    }

    private Completed await(PendingInvocation invocation, LogTail tail) {
        boolean handedOut = awaitHandOut(invocation);
        Double initMillis = initDuration(handedOut, invocation, tail);
        emit(tail, "START RequestId: " + invocation.requestId + " Version: $LATEST");
        long began = System.nanoTime();
        RuntimeOutcome outcome = handedOut ? awaitAnswer(invocation) : invocation.outcome.join();
        double durationMillis = (System.nanoTime() - began) / 1_000_000.0;
        readMaxMemory();
        pump.drain();
        InvocationResult result = result(invocation, outcome);
        String status = switch (outcome) {
            case RuntimeOutcome.TimedOut t -> "timeout";
            case RuntimeOutcome.Exited e -> "error";
            case RuntimeOutcome.InitError e -> "error";
            default -> null;
        };
        if (status != null) {
            dead = true;
        }
        if (outcome instanceof RuntimeOutcome.TimedOut || outcome instanceof RuntimeOutcome.Exited) {
            emit(tail, field(result.payload(), "errorMessage"));
        }
        emit(tail, "END RequestId: " + invocation.requestId);
        emit(tail, report(invocation, durationMillis, initMillis, status, result));
        return new Completed(result, tail.bytes());
    }

    /** Waits for the runtime to take the invocation from {@code /next}; false when init failed or took too long. */
    private boolean awaitHandOut(PendingInvocation invocation) {
        long limit = spec.timeoutSeconds() * 1000L + INIT_GRACE_MILLIS;
        boolean handedOut = waitFor(CompletableFuture.anyOf(invocation.handedOut, invocation.outcome), limit)
                && invocation.handedOut.isDone();
        if (!handedOut && invocation.outcome.complete(new RuntimeOutcome.TimedOut())) {
            kill();
        }
        return handedOut;
    }

    /** The init duration to report on this environment's first invocation (logging INIT_REPORT if init failed). */
    private Double initDuration(boolean handedOut, PendingInvocation invocation, LogTail tail) {
        pump.drain();
        if (initReported) {
            return null;
        }
        initReported = true;
        if (!handedOut) {
            emit(tail, String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s",
                    (System.nanoTime() - startNanos) / 1_000_000.0,
                    invocation.outcome.join() instanceof RuntimeOutcome.TimedOut ? "timeout" : "error"));
        }
        return api.ready().isDone() ? (api.ready().join() - startNanos) / 1_000_000.0 : null;
    }

    /**
     * Waits for the runtime's answer until the deadline (killing the environment when it passes), then for the
     * runtime to ask for its next invocation, which is where Lambda ends the invoke phase.
     */
    private RuntimeOutcome awaitAnswer(PendingInvocation invocation) {
        long deadline = invocation.handedOut.join();
        invocation.fault.ifPresent(fault -> inject(invocation, fault));
        if (!waitFor(invocation.outcome, deadline - System.currentTimeMillis())
                && invocation.outcome.complete(new RuntimeOutcome.TimedOut())) {
            kill();
        }
        if (usable() && !waitFor(CompletableFuture.anyOf(invocation.released, process.onExit()),
                deadline - System.currentTimeMillis())) {
            LOG.warn("function {}: the runtime did not ask for its next invocation before the deadline; replacing "
                    + "environment {}", spec.name(), number);
            kill();
        }
        return invocation.outcome.join();
    }

    /** Ends the invocation part-way, as a crash or a timeout would, unless the runtime answers first. */
    private void inject(PendingInvocation invocation, InvocationFaults.Fault fault) {
        if (waitFor(invocation.outcome, fault.after().toMillis())) {
            return;
        }
        LOG.info("function {}: injecting a {} into invocation {} after {} ms", spec.name(), fault.kind(),
                invocation.requestId, fault.after().toMillis());
        switch (fault.kind()) {
            case CRASH -> kill();
            case TIMEOUT -> {
                if (invocation.outcome.complete(new RuntimeOutcome.TimedOut())) {
                    kill();
                }
            }
        }
    }

    private String report(PendingInvocation invocation, double durationMillis, Double initMillis, String status,
                          InvocationResult result) {
        // Since August 2025 Lambda bills the init phase of managed runtimes as well.
        long billed = (long) Math.ceil(durationMillis + (initMillis == null ? 0 : initMillis));
        StringBuilder line = new StringBuilder("REPORT RequestId: ").append(invocation.requestId)
                .append("\tDuration: ").append(String.format(Locale.ROOT, "%.2f", durationMillis)).append(" ms")
                .append("\tBilled Duration: ").append(Math.max(1, billed)).append(" ms")
                .append("\tMemory Size: ").append(spec.memoryMb()).append(" MB")
                .append("\tMax Memory Used: ").append((maxMemoryKb + 1023) / 1024).append(" MB");
        if (initMillis != null) {
            line.append("\tInit Duration: ").append(String.format(Locale.ROOT, "%.2f", initMillis)).append(" ms");
        }
        if (status != null) {
            line.append("\tStatus: ").append(status).append("\tError Type: ").append(field(result.payload(), "errorType"));
        }
        return line.toString();
    }

    private InvocationResult result(PendingInvocation invocation, RuntimeOutcome outcome) {
        String id = invocation.requestId;
        return switch (outcome) {
            case RuntimeOutcome.Response r -> new InvocationResult(id, r.payload(), Optional.empty());
            case RuntimeOutcome.FunctionError e -> unhandled(id, errorPayload(e.errorType(), e.payload()));
            case RuntimeOutcome.InitError e -> unhandled(id, errorPayload(e.errorType(), e.payload()));
            case RuntimeOutcome.ResponseTooLarge t -> unhandled(id, LambdaJson.error("Function.ResponseSizeTooLarge",
                    "Response payload size (" + t.bytes() + " bytes) exceeded maximum allowed payload size ("
                            + RuntimeApi.MAX_RESPONSE_BYTES + " bytes)."));
            case RuntimeOutcome.TimedOut t -> unhandled(id, LambdaJson.error("Sandbox.Timedout", "RequestId: " + id
                    + " Error: Task timed out after " + spec.timeoutSeconds() + ".00 seconds"));
            case RuntimeOutcome.Exited e -> unhandled(id, LambdaJson.error("Runtime.ExitError", "RequestId: " + id
                    + " Error: Runtime exited with error: " + exitDescription(e.exitCode())));
        };
    }

    private static InvocationResult unhandled(String requestId, byte[] payload) {
        return new InvocationResult(requestId, payload, Optional.of("Unhandled"));
    }

    /** The runtime's posted error body, or one built from its error type when the body is not an error object. */
    private static byte[] errorPayload(String errorType, byte[] posted) {
        return readTree(posted).isObject() ? posted : LambdaJson.error(errorType, "The runtime reported " + errorType);
    }

    private static String field(byte[] json, String name) {
        return readTree(json).path(name).asText();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) {
        try {
            return LambdaJson.MAPPER.readTree(json);
        } catch (IOException e) {
            return LambdaJson.MAPPER.missingNode();
        }
    }

    /** As Lambda words it: {@code exit status 3}, or {@code signal: killed} for a process ended by a signal. */
    static String exitDescription(int exitCode) {
        return switch (exitCode) {
            case 128 + 6 -> "signal: aborted";
            case 128 + 9 -> "signal: killed";
            case 128 + 11 -> "signal: segmentation fault";
            case 128 + 15 -> "signal: terminated";
            default -> "exit status " + exitCode;
        };
    }

    private synchronized void start() {
        if (destroyed) {
            throw new IllegalStateException("function " + spec.name() + ": the local Lambda service is closed");
        }
        api = new RuntimeApi(spec.arn());
        server = EdgeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), api);
        String runtimeApi = "127.0.0.1:" + server.port();
        Path output = runtime.outputFile(spec, number);
        ProcessBuilder builder = new ProcessBuilder(runtime.command(spec))
                .directory(runtime.taskRoot(spec).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().clear();
        builder.environment().putAll(runtime.environment(spec, runtimeApi, logStreamName()));
        if (!Files.isRegularFile(spec.jar())) {
            LOG.warn("function {}: deployment jar {} does not exist (build the function module first)", spec.name(),
                    spec.jar());
        }
        startNanos = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            server.close();
            dead = true;
            throw new UncheckedIOException("function " + spec.name() + ": cannot start " + builder.command().getFirst(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // stdin is not used
        }
        pump = OutputPump.follow(output, this::functionLine, "lambda-" + spec.name() + "-" + number + "-log");
        process.onExit().thenAccept(p -> exited(p.exitValue()));
        LOG.debug("function {}: environment {} started as pid {} (runtime API {})", spec.name(), number, process.pid(),
                runtimeApi);
    }

    private void exited(int code) {
        exitCode = code;
        dead = true;
        PendingInvocation running = current;
        if (running != null) {
            running.outcome.complete(new RuntimeOutcome.Exited(code));
        }
        LOG.debug("function {}: environment {} (pid {}) exited with {}", spec.name(), number, process.pid(), code);
    }

    private void functionLine(String line) {
        emit(capture, line);
    }

    private void emit(LogTail tail, String line) {
        if (tail != null) {
            tail.add(line);
        }
        sink.line(spec.name(), line);
    }

    private boolean waitFor(CompletableFuture<?> future, long millis) {
        try {
            future.get(Math.max(0, millis), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking " + spec.name(), e);
        }
    }

    private void readMaxMemory() {
        if (process == null) {
            return;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    maxMemoryKb = Math.max(maxMemoryKb, Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: keep the last reading
        }
    }

    private static String logStreamName() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd")) + "/[$LATEST]"
                + HexFormat.of().formatHex(id);
    }

    /** Kills the process and everything it started; no process starts after this. */
    synchronized void kill() {
        dead = true;
        destroyed = true;
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Kills the process tree, waits for it, and stops the Runtime API server. Safe to call more than once. */
    void destroy() {
        kill();
        if (process != null) {
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("function {}: environment {} (pid {}) did not exit after being killed", spec.name(), number,
                        process.pid());
            }
        }
        if (pump != null) {
            pump.close();
        }
        if (api != null) {
            api.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
