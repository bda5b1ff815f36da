package dev.relay.local.esm;

import java.util.Set;

/**
 * What an invocation's answer means for its batch: delete it all, keep it all, or keep only the reported items.
 * With {@code ReportBatchItemFailures}, {@link PartialBatchResponse} reads it from the function's answer.
 */
sealed interface BatchOutcome {

    /** Every message was handled: delete the batch. */
    record Succeeded() implements BatchOutcome {
    }

    /** Nothing counts as handled: delete nothing, the visibility timeout and the redrive policy take over. */
    record Failed(String reason) implements BatchOutcome {
    }

    /** Only {@code failedMessageIds} failed: delete the others. */
    record PartiallyFailed(Set<String> failedMessageIds) implements BatchOutcome {
        public PartiallyFailed {
            failedMessageIds = Set.copyOf(failedMessageIds);
        }
    }
}
