package dev.relay.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The local Lambda service: runs each registered function in JVMs of its own (one per execution environment, with the
 * official runtime interface client against this service's Runtime API), synchronously ({@link #invoke}) or as an
 * {@code Event} ({@link #invokeAsync}). {@link #close()} leaves no process behind.
 */
public final class LambdaService implements FunctionInvoker, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(LambdaService.class);

    /**
     * @param logSink          where function logs go
     * @param asyncRetryDelays the waits before each retry of a failed {@code Event} invocation; Lambda retries twice,
     *                         after about one and then two minutes
     * @param faults           crashes and timeouts to inject part-way through invocations (none by default)
     */
    public record Settings(String region, String accountId, FunctionLogSink logSink, List<Duration> asyncRetryDelays,
                           InvocationFaults faults) {

        public Settings {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(logSink, "logSink");
            Objects.requireNonNull(faults, "faults");
            asyncRetryDelays = List.copyOf(asyncRetryDelays);
        }

        public static Settings defaults(String region, String accountId) {
            return new Settings(region, accountId, FunctionLogSink.stdout(),
                    List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)), InvocationFaults.NONE);
        }

        public Settings withLogSink(FunctionLogSink sink) {
            return new Settings(region, accountId, sink, asyncRetryDelays, faults);
        }

        public Settings withAsyncRetryDelays(List<Duration> delays) {
            return new Settings(region, accountId, logSink, delays, faults);
        }

        public Settings withFaults(InvocationFaults injected) {
            return new Settings(region, accountId, logSink, asyncRetryDelays, injected);
        }
    }

    private final Settings settings;
    private final Path workDir;
    private final JavaRuntime runtime;
    private final Map<String, EnvironmentPool> pools = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final List<HandoffListener> handoffListeners = new CopyOnWriteArrayList<>();
    private final Object closeLock = new Object();
    private volatile boolean closed;

    public LambdaService(Settings settings) {
        this.settings = settings;
        try {
            this.workDir = Files.createTempDirectory("relay-lambda-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory for the local Lambda service", e);
        }
        this.runtime = JavaRuntime.locate(workDir);
        this.retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("lambda-async-retries").factory());
    }

    public Settings settings() {
        return settings;
    }

    /** Adds a function, or replaces one of the same name (its running environments are discarded). */
    public void register(FunctionSpec spec) {
        ensureOpen();
        EnvironmentPool previous = pools.put(spec.name(), new EnvironmentPool(spec, runtime, settings.logSink()));
        if (previous != null) {
            previous.close().forEach(ExecutionEnvironment::destroy);
        }
    }

    /** The registered functions, by name. */
    public List<FunctionSpec> functions() {
        return pools.values().stream().map(EnvironmentPool::spec).sorted(Comparator.comparing(FunctionSpec::name)).toList();
    }

    /**
     * Finds a function as Lambda's API names it: a name, a full or partial ARN, either optionally with the
     * {@code $LATEST} qualifier (the only version the local cloud has).
     */
    public Optional<FunctionSpec> function(String nameOrArn) {
        return Optional.ofNullable(pool(nameOrArn)).map(EnvironmentPool::spec);
    }

    /** The ARN Lambda would name in an error about {@code nameOrArn} (a name is placed in this service's account). */
    public String arnOf(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn
                : nameOrArn.contains(":function:") ? "arn:aws:lambda:" + settings.region() + ":" + nameOrArn
                : FunctionSpec.arn(settings.region(), settings.accountId(), nameOrArn);
    }

    @Override
    public InvocationResult invoke(String functionName, byte[] payload) {
        return invokeLogged(functionName, payload, null).result();
    }

    /**
     * A synchronous ({@code RequestResponse}) invocation that also returns the end of its log.
     *
     * @param clientContext the client context JSON to pass to the function, or null
     * @throws UnknownFunctionException when no function has that name
     */
    public LoggedInvocation invokeLogged(String functionName, byte[] payload, String clientContext) {
        return run(poolOrThrow(functionName), PendingInvocation.newRequestId(), payload, clientContext);
    }

    /**
     * An {@code Event} invocation: queued, run in the background, and retried twice when it fails, as Lambda does; a
     * final failure is logged.
     *
     * @return the invocation's request id
     * @throws UnknownFunctionException when no function has that name
     */
    public String invokeAsync(String functionName, byte[] payload) {
        EnvironmentPool pool = poolOrThrow(functionName);
        String requestId = PendingInvocation.newRequestId();
        attemptAsync(pool.spec().name(), requestId, payload.clone(), 0);
        return requestId;
    }

    /**
     * Kills the function's execution environments (waiting for their processes to exit), so that its next invocation
     * starts a fresh JVM: a cold start on demand, as {@code relay bench} measures them.
     *
     * @throws UnknownFunctionException when no function has that name
     */
    public void discardEnvironments(String functionName) {
        register(poolOrThrow(functionName).spec());
    }

    /** Tells {@code listener} about every invocation a runtime takes from now on, of any function. */
    public void addHandoffListener(HandoffListener listener) {
        handoffListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Starts one execution environment of the function now, so its first invocation does not pay for the JVM start. */
    public void prewarm(String functionName) {
        prewarm(functionName, 1);
    }

    /**
     * Starts execution environments of the function one after another until it has {@code environments} (at most its
     * concurrency), so that that many concurrent invocations find a JVM ready.
     */
    public void prewarm(String functionName, int environments) {
        poolOrThrow(functionName).prewarm(environments);
    }

    private void attemptAsync(String functionName, String requestId, byte[] payload, int retry) {
        Thread.ofVirtual().name("lambda-event-" + requestId).start(() -> {
            if (closed) {
                return;
            }
            InvocationResult result;
            try {
                EnvironmentPool pool = poolOrThrow(functionName);
                result = run(pool, requestId, payload, null).result();
            } catch (IllegalStateException | UnknownFunctionException e) {
                LOG.debug("async invocation {} of {} dropped: {}", requestId, functionName, e.getMessage());
                return;
            }
            if (result.succeeded() || closed) {
                return;
            }
            List<Duration> delays = settings.asyncRetryDelays();
            if (retry < delays.size()) {
                Duration delay = delays.get(retry);
                LOG.info("async invocation {} of {} failed ({}); retry {} of {} in {}", requestId, functionName,
                        errorType(result), retry + 1, delays.size(), delay);
                try {
                    retries.schedule(() -> attemptAsync(functionName, requestId, payload, retry + 1),
                            delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closed meanwhile
                }
            } else {
                LOG.error("async invocation {} of {} failed after {} attempts, discarding the event: {}", requestId,
                        functionName, retry + 1, errorType(result));
            }
        });
    }

    private static String errorType(InvocationResult result) {
        try {
            return LambdaJson.MAPPER.readTree(result.payload()).path("errorType").asText("unknown error");
        } catch (IOException e) {
            return "unknown error";
        }
    }

    private LoggedInvocation run(EnvironmentPool pool, String requestId, byte[] payload, String clientContext) {
        ensureOpen();
        PendingInvocation invocation = new PendingInvocation(requestId, payload, clientContext,
                Duration.ofSeconds(pool.spec().timeoutSeconds()), settings.faults().next(pool.spec().name()));
        if (!handoffListeners.isEmpty()) {
            String name = pool.spec().name();
            invocation.handedOut.thenRun(() -> {
                long now = System.nanoTime();
                handoffListeners.forEach(listener -> listener.handedOut(name, requestId, payload, now));
            });
        }
        ExecutionEnvironment.Completed completed = pool.invoke(invocation);
        return new LoggedInvocation(completed.result(), completed.logTail());
    }

    private EnvironmentPool poolOrThrow(String nameOrArn) {
        ensureOpen();
        EnvironmentPool pool = pool(nameOrArn);
        if (pool == null) {
            throw new UnknownFunctionException(nameOrArn);
        }
        return pool;
    }

    private EnvironmentPool pool(String nameOrArn) {
        String name = nameOrArn;
        String qualifier = null;
        int function = name.indexOf(":function:");
        if (function >= 0) {
            String prefix = name.substring(0, function);
            boolean fullArn = prefix.startsWith("arn:aws:lambda:") && prefix.split(":").length == 5;
            if (!fullArn && !prefix.matches("\\d{12}")) {
                return null;
            }
            if (fullArn && !prefix.equals("arn:aws:lambda:" + settings.region() + ":" + settings.accountId())) {
                return null;
            }
            name = name.substring(function + ":function:".length());
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            qualifier = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (qualifier != null && !qualifier.equals("$LATEST")) {
            return null;
        }
        return pools.get(name);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the local Lambda service is closed");
        }
    }

    /**
     * Kills every function process (and whatever they started) and waits for them to exit. Idempotent, and safe to
     * call from a shutdown hook; invocations still running end with {@code Runtime.ExitError}.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            retries.shutdownNow();
            List<ExecutionEnvironment> environments = new ArrayList<>();
            pools.values().forEach(pool -> environments.addAll(pool.close()));
            environments.forEach(ExecutionEnvironment::destroy);
            deleteWorkDir();
        }
    }

    private void deleteWorkDir() {
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
