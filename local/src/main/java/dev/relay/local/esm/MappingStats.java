package dev.relay.local.esm;

/**
 * A snapshot of what one mapping has done since it started, for the CLI and for tests.
 *
 * @param messagesReceived messages the pollers received (a redelivered message counts again)
 * @param batchesInvoked   invocations made (or attempted, when the invoker itself failed)
 * @param batchesFailed    batches of which nothing was deleted: function error, malformed batch response, invoker failure
 * @param messagesDeleted  messages deleted after a successful (or partially successful) invocation
 * @param messagesFailed   messages left on the queue for the visibility timeout and redrive policy to handle
 * @param inFlight         batches being invoked right now
 */
public record MappingStats(
        String functionName,
        String queueArn,
        SqsEventSourceMapping.State state,
        long messagesReceived,
        long batchesInvoked,
        long batchesFailed,
        long messagesDeleted,
        long messagesFailed,
        int inFlight) {
}
