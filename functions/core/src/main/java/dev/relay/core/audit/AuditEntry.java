package dev.relay.core.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One fact for the audit trail before it has a place in its stream: what happened ({@link RecordKind}, event id and
 * type), who did it, when, the payload, what caused it and the flow (correlation id = stream) it belongs to.
 *
 * @param causationId the event id of the record (or event) that caused this one; {@code null} for a root
 */
public record AuditEntry(
        String eventId,
        String eventType,
        RecordKind kind,
        String agentId,
        Instant timestamp,
        ObjectNode payload,
        String causationId,
        String correlationId) {

    public AuditEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(correlationId, "correlationId");
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    /** This entry as the record at {@code seq} of its stream, linked to the record before it. */
    public AuditRecord chained(long seq, String previousHash) {
        String checksum = HashChain.checksum(this);
        return new AuditRecord(this, seq, checksum, previousHash, HashChain.link(previousHash, checksum));
    }
}
