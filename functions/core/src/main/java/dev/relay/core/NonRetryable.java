package dev.relay.core;

/**
 * Marks a failure that no retry can cure (an invalid event, a type no agent handles, a request the model refuses as
 * malformed). Queue workers send such messages to the dead-letter queue at once instead of burning retries.
 */
public interface NonRetryable {
}
