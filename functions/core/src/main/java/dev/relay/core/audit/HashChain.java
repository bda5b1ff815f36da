package dev.relay.core.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.Sha256;

/**
 * The tamper-evidence rule, in one place. A record's checksum is SHA-256 over the canonical JSON (keys sorted, no
 * whitespace) of its content; its hash is SHA-256 over the previous record's hash and its own checksum, so each
 * record commits to the whole stream before it. The position ({@code seq}) is deliberately outside both: order is
 * proven by the links, which lets verification tell a moved record from an edited one.
 */
public final class HashChain {

    /** The "previous hash" of a stream's first record. */
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {}

    public static String checksum(AuditEntry entry) {
        return Sha256.hex(Json.canonical(content(entry)));
    }

    public static String link(String previousHash, String checksum) {
        return Sha256.hex(previousHash + ":" + checksum);
    }

    /** The fields the checksum covers, as the canonical JSON object (also how a record is shown to auditors). */
    public static ObjectNode content(AuditEntry entry) {
        ObjectNode content = Json.object();
        content.put("event_id", entry.eventId());
        content.put("event_type", entry.eventType());
        content.put("kind", entry.kind().wireName());
        content.put("agent_id", entry.agentId());
        content.put("timestamp", Timestamps.format(entry.timestamp()));
        content.set("payload", entry.payload());
        content.put("causation_id", entry.causationId());
        content.put("correlation_id", entry.correlationId());
        return content;
    }
}
