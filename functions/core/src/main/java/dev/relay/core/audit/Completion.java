package dev.relay.core.audit;

import java.time.Instant;

/**
 * That consumer {@code consumer} finished event {@code eventId}: written in the same transaction as the decision's
 * records, so an event has either both or neither. Its records are {@code firstSeq..lastSeq} of stream
 * {@code correlationId}; {@code publishedAt} is set once its follow-ups were published ({@code null} before).
 */
public record Completion(String consumer, String eventId, String correlationId, long firstSeq, long lastSeq,
        Instant completedAt, Instant publishedAt) {

    public Completion(String consumer, String eventId, String correlationId, long firstSeq, long lastSeq,
            Instant completedAt) {
        this(consumer, eventId, correlationId, firstSeq, lastSeq, completedAt, null);
    }

    /** The idempotency key: one per consumer and event. */
    public String key() {
        return key(consumer, eventId);
    }

    public static String key(String consumer, String eventId) {
        return consumer + "|" + eventId;
    }
}
