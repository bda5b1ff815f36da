package dev.relay.local.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What one invocation returned.
 *
 * @param requestId     the invocation's request id (also in the function's log lines)
 * @param payload       the response JSON; for a function error, Lambda's error object
 *                      ({@code errorMessage}, {@code errorType}, {@code stackTrace})
 * @param functionError empty on success; {@code "Unhandled"} for an error thrown by the function, a crash or a
 *                      timeout, as Lambda's {@code X-Amz-Function-Error} header
 */
public record InvocationResult(String requestId, byte[] payload, Optional<String> functionError) {

    public InvocationResult {
        payload = payload == null ? new byte[0] : payload;
        functionError = functionError == null ? Optional.empty() : functionError;
    }

    public boolean succeeded() {
        return functionError.isEmpty();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
