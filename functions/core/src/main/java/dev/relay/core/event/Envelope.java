package dev.relay.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A Relay event: a CloudEvents 1.0 structured-mode JSON document whose {@code data} is a JSON object, with
 * the extension attributes {@code correlationid} (the flow it belongs to) and {@code causationid} (the
 * event that caused it). Parse with {@link #parse(String)}, write with {@link #toJson()}.
 */
public record Envelope(
        String id,
        String source,
        String type,
        Instant time,
        String subject,
        ObjectNode data,
        String correlationId,
        String causationId,
        Map<String, JsonNode> extensions) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";
    /** SNS's message limit, which every event must fit through. */
    public static final int MAX_BYTES = 262_144;

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        data = data == null ? Json.object() : data;
        correlationId = correlationId == null ? id : correlationId;
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** A new event that starts a flow: its own id is the correlation id. */
    public static Envelope create(String type, String source, ObjectNode data) {
        EnvelopeReader.checkType(type);
        String id = UUID.randomUUID().toString();
        return new Envelope(id, source, type, now(), null, data, id, null, Map.of());
    }

    /**
     * An event caused by this one: same correlation id, causation id = this event's id. Its id is derived
     * from the cause, type and data, so handling a redelivered event emits the very same follow-up.
     */
    public Envelope followUp(String type, String source, ObjectNode data) {
        EnvelopeReader.checkType(type);
        String followUpId = UUID.nameUUIDFromBytes((id + "\n" + type + "\n" + Json.canonical(data))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return new Envelope(followUpId, source, type, now(), null, data, correlationId, id, Map.of());
    }

    public Envelope withCorrelationId(String correlationId) {
        return new Envelope(id, source, type, time, subject, data, correlationId, causationId, extensions);
    }

    /** Parses a CloudEvent or the simple {@code {"event_type", "payload"}} form; throws a precise error. */
    public static Envelope parse(String json) {
        return EnvelopeReader.read(json);
    }

    /** As {@link #parse(String)}, for raw bytes: invalid UTF-8 is reported, not replaced. */
    public static Envelope parse(byte[] utf8) {
        return EnvelopeReader.read(utf8);
    }

    public ObjectNode toJsonNode() {
        ObjectNode node = Json.object();
        node.put("specversion", SPEC_VERSION);
        node.put("id", id);
        node.put("source", source);
        node.put("type", type);
        node.put("time", time.toString());
        if (subject != null) {
            node.put("subject", subject);
        }
        node.put("datacontenttype", CONTENT_TYPE);
        node.put("correlationid", correlationId);
        if (causationId != null) {
            node.put("causationid", causationId);
        }
        extensions.forEach(node::set);
        node.set("data", data);
        return node;
    }

    public String toJson() {
        return Json.write(toJsonNode());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
