package dev.relay.core.llm;

/** A model call that failed after the gateway's retries; {@link #retryable()} says whether a later try may work. */
public final class LlmException extends RuntimeException {

    private final boolean retryable;
    private final int attempts;

    public LlmException(String message, boolean retryable, int attempts, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.attempts = attempts;
    }

    public boolean retryable() {
        return retryable;
    }

    public int attempts() {
        return attempts;
    }
}
