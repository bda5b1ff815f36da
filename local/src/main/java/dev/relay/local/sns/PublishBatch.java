package dev.relay.local.sns;

import java.util.List;
import java.util.Objects;

/** PublishBatch's entries and outcome: each entry succeeds or fails on its own, as SNS reports them. */
public final class PublishBatch {

    /** At most this many entries per request. */
    public static final int MAX_ENTRIES = 10;

    private PublishBatch() {
    }

    /** One entry: an id unique within the request (1-80 of A-Z a-z 0-9 - _) and what to publish. */
    public record Entry(String id, Publication publication) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(publication, "publication");
        }
    }

    public record Success(String id, String messageId, String sequenceNumber) {
    }

    /** A refused entry, with the SNS error code and message a single Publish would have returned. */
    public record Failure(String id, String code, String message, boolean senderFault) {
    }

    public record Result(List<Success> successful, List<Failure> failed) {
        public Result {
            successful = List.copyOf(successful);
            failed = List.copyOf(failed);
        }
    }
}
