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
 * @param receiveRequests  ReceiveMessage requests that returned messages (the empty polls of an idle queue, which
 *                         depend on time rather than on traffic, are not counted)
 * @param emptyReceiveRequests ReceiveMessage requests that returned nothing
 * @param deleteRequests   DeleteMessageBatch requests made
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
        int inFlight,
        long receiveRequests,
        long emptyReceiveRequests,
        long deleteRequests) {
}
