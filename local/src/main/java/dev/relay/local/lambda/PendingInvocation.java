package dev.relay.local.lambda;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One invocation on its way through an execution environment: queued for the runtime's {@code /next}, handed out,
 * then answered by the runtime ({@code /response}, {@code /error}) or ended by the environment (timeout, crash).
 * Whoever completes {@link #outcome} first decides the result.
 */
final class PendingInvocation {

    final String requestId;
    final byte[] payload;
    /** Client context JSON from the caller's {@code X-Amz-Client-Context}, or null. */
    final String clientContext;
    final Duration timeout;
    final String traceId;
    /** A fault to inject once the runtime has the invocation (fault-injection runs only). */
    final Optional<InvocationFaults.Fault> fault;
    /** Completes with the deadline (epoch ms) when the runtime takes the invocation from {@code /next}. */
    final CompletableFuture<Long> handedOut = new CompletableFuture<>();
    final CompletableFuture<RuntimeOutcome> outcome = new CompletableFuture<>();
    /**
     * Completes when the runtime asks for its next invocation after this one: on Lambda that, not the response, ends
     * the invoke phase (and what the function logs after answering still belongs to this invocation).
     */
    final CompletableFuture<Void> released = new CompletableFuture<>();

    PendingInvocation(String requestId, byte[] payload, String clientContext, Duration timeout) {
        this(requestId, payload, clientContext, timeout, Optional.empty());
    }

    PendingInvocation(String requestId, byte[] payload, String clientContext, Duration timeout,
                      Optional<InvocationFaults.Fault> fault) {
        this.requestId = requestId;
        this.payload = payload;
        this.clientContext = clientContext;
        this.timeout = timeout;
        this.traceId = newTraceId();
        this.fault = fault;
    }

    static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /** An X-Ray trace header as Lambda passes it (the runtime client's native code requires one). */
    private static String newTraceId() {
        HexFormat hex = HexFormat.of();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        random.nextBytes(root);
        random.nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.formatHex(root)
                + ";Parent=" + hex.formatHex(parent) + ";Sampled=0";
    }
}
