package dev.relay.local.lambda;

/** How one invocation ended inside its execution environment. */
sealed interface RuntimeOutcome {

    /** The runtime posted a response. */
    record Response(byte[] payload) implements RuntimeOutcome {
    }

    /** The runtime posted an invocation error; the environment stays usable. */
    record FunctionError(String errorType, byte[] payload) implements RuntimeOutcome {
    }

    /** The runtime posted an init error; the environment is discarded. */
    record InitError(String errorType, byte[] payload) implements RuntimeOutcome {
    }

    /** The runtime posted a response larger than Lambda accepts. */
    record ResponseTooLarge(long bytes) implements RuntimeOutcome {
    }

    /** No answer by the deadline; the environment was killed. */
    record TimedOut() implements RuntimeOutcome {
    }

    /** The runtime process ended before answering. */
    record Exited(int exitCode) implements RuntimeOutcome {
    }
}
