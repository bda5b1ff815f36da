package dev.relay.local.lambda;

/**
 * An invocation's result together with the end of its log, which the Invoke API returns for {@code LogType: Tail}.
 *
 * @param logTail the last 4 KB of the invocation's log ({@code START} to {@code REPORT}, init output on a cold start)
 */
public record LoggedInvocation(InvocationResult result, byte[] logTail) {
}
