package dev.relay.core.audit;

import java.util.List;

/**
 * The result of verifying one stream: how many records it holds, the hash of its last chained record (keep it
 * elsewhere to detect a rewritten tail later), and what is wrong, record by record.
 */
public record Verification(String stream, int records, String headHash, List<Finding> findings) {

    public boolean intact() {
        return findings.isEmpty();
    }

    public enum Problem {
        /** The record's content (or its chain fields) is not what was written. */
        CONTENT_CHANGED,
        /** One or more records before this one were removed. */
        MISSING,
        /** The record is stored at a different place than where it was written in the chain. */
        OUT_OF_ORDER,
        /** The record was never part of the chain: inserted or forged. */
        EXTRA
    }

    /** A problem found on the record at {@code seq} (event {@code eventId}). */
    public record Finding(long seq, String eventId, Problem problem, String detail) {}
}
