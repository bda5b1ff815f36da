package dev.relay.core.audit;

/**
 * A record of the audit trail as stored: its {@link AuditEntry}, its position {@code seq} in the stream (1-based),
 * the SHA-256 {@code checksum} of its content, and the chain: {@code previousHash} (the hash of the record before it,
 * {@link HashChain#GENESIS} for the first) and its own {@code hash}. Records are immutable once written.
 */
public record AuditRecord(AuditEntry entry, long seq, String checksum, String previousHash, String hash) {

    public String stream() {
        return entry.correlationId();
    }

    public String eventId() {
        return entry.eventId();
    }

    public String eventType() {
        return entry.eventType();
    }

    public RecordKind kind() {
        return entry.kind();
    }

    public String agentId() {
        return entry.agentId();
    }

    public java.time.Instant timestamp() {
        return entry.timestamp();
    }

    public String causationId() {
        return entry.causationId();
    }
}
