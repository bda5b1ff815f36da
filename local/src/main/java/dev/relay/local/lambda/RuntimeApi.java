package dev.relay.local.lambda;

import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API (2018-06-01) for one execution environment, as the runtime interface client inside the
 * function's JVM calls it. One instance per environment, because the API's paths carry no environment: each gets its
 * own port. {@code /next} blocks until the environment is given an invocation.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html">Lambda runtime API</a>
 */
final class RuntimeApi implements Endpoint {

    /** Lambda's limit on a synchronous response (6 MB plus a little framing, as the service counts it). */
    static final int MAX_RESPONSE_BYTES = 6_291_556;

    private static final String BASE = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_REPLY = Pattern.compile(BASE + "/invocation/([^/]+)/(response|error)");
    private static final PendingInvocation CLOSED = new PendingInvocation("closed", new byte[0], null, null);

    private final String functionArn;
    private final LinkedBlockingQueue<PendingInvocation> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private volatile PendingInvocation current;
    private volatile PendingInvocation lastHandedOut;
    private volatile boolean handedOutAny;
    private volatile RuntimeOutcome.InitError initFailure;

    RuntimeApi(String functionArn) {
        this.functionArn = functionArn;
    }

    /** Completes with {@link System#nanoTime()} of the runtime's first {@code /next}: the end of init. */
    CompletableFuture<Long> ready() {
        return ready;
    }

    /** Queues an invocation for the runtime's next {@code /next}. */
    void assign(PendingInvocation invocation) {
        queue.add(invocation);
    }

    /** Releases a runtime blocked in {@code /next}; called when the environment is torn down. */
    void close() {
        queue.clear();
        queue.add(CLOSED);
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        String path = request.path();
        if (path.equals(BASE + "/invocation/next") && request.method().equals("GET")) {
            return next();
        }
        Matcher reply = INVOCATION_REPLY.matcher(path);
        if (reply.matches() && request.method().equals("POST")) {
            return reply(reply.group(1), reply.group(2).equals("error"), request);
        }
        if (path.equals(BASE + "/init/error") && request.method().equals("POST")) {
            return initError(request);
        }
        return error(404, "NotFound", "The runtime API has no " + request.method() + " " + path);
    }

    private EdgeResponse next() {
        ready.complete(System.nanoTime());
        PendingInvocation previous = lastHandedOut;
        if (previous != null) {
            previous.released.complete(null);
        }
        PendingInvocation invocation;
        try {
            invocation = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(500, "ServiceException", "The execution environment is shutting down");
        }
        if (invocation == CLOSED) {
            queue.add(CLOSED);
            return error(500, "ServiceException", "The execution environment is shutting down");
        }
        long deadline = System.currentTimeMillis() + invocation.timeout.toMillis();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.put("Lambda-Runtime-Trace-Id", invocation.traceId);
        if (invocation.clientContext != null) {
            headers.put("Lambda-Runtime-Client-Context", invocation.clientContext);
        }
        current = invocation;
        lastHandedOut = invocation;
        handedOutAny = true;
        invocation.handedOut.complete(deadline);
        return new EdgeResponse(200, headers, invocation.payload);
    }

    private EdgeResponse reply(String requestId, boolean isError, EdgeRequest request) {
        PendingInvocation invocation = current;
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            return error(400, "InvalidRequestID", "Invalid request ID: " + requestId
                    + (invocation == null ? " (no invocation in progress)" : " (in progress: " + invocation.requestId + ")"));
        }
        current = null;
        if (request.body().length > MAX_RESPONSE_BYTES) {
            invocation.outcome.complete(new RuntimeOutcome.ResponseTooLarge(request.body().length));
            return error(413, "RequestEntityTooLarge",
                    "Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
        }
        invocation.outcome.complete(isError
                ? new RuntimeOutcome.FunctionError(errorType(request), request.body())
                : new RuntimeOutcome.Response(request.body()));
        return accepted();
    }

    private EdgeResponse initError(EdgeRequest request) {
        if (handedOutAny) {
            return error(403, "InvalidStateTransition", "init/error is only allowed before the first invocation");
        }
        RuntimeOutcome.InitError failure = new RuntimeOutcome.InitError(errorType(request), request.body());
        for (PendingInvocation waiting : queue) {
            waiting.outcome.complete(failure);
        }
        initFailure = failure;
        return accepted();
    }

    /** The init error the runtime posted, if any (the environment is then unusable). */
    RuntimeOutcome.InitError initFailure() {
        return initFailure;
    }

    private static String errorType(EdgeRequest request) {
        return request.header("Lambda-Runtime-Function-Error-Type").orElse("Runtime.Unknown");
    }

    private static EdgeResponse accepted() {
        return EdgeResponse.json(202, "{\"status\":\"OK\"}");
    }

    private static EdgeResponse error(int status, String errorType, String message) {
        return new EdgeResponse(status, Map.of("Content-Type", "application/json"), LambdaJson.error(errorType, message));
    }
}
