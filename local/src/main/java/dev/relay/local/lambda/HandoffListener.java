package dev.relay.local.lambda;

/**
 * Told each time a function's runtime takes an invocation from the Runtime API's {@code /invocation/next}: the moment
 * the function's JVM is handed the event, just before its handler runs. {@code relay bench} times event delivery with
 * it. Called on the Runtime API's thread before the response is sent, so it must be quick and must not throw.
 */
@FunctionalInterface
public interface HandoffListener {

    /**
     * @param functionName the function's physical name
     * @param requestId    the invocation's request id
     * @param payload      the event JSON, UTF-8 (not to be modified)
     * @param nanoTime     {@link System#nanoTime()} when the runtime took the invocation
     */
    void handedOut(String functionName, String requestId, byte[] payload, long nanoTime);
}
