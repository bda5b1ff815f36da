package dev.relay.core.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The one place where an event document is validated and normalised into an {@link Envelope}. */
final class EnvelopeReader {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");
    private static final int MAX_TYPE_LENGTH = 128;
    private static final int MAX_ID_LENGTH = 256;
    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");
    private static final Set<String> CONTEXT_ATTRIBUTES = Set.of(
            "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data", "data_base64",
            "correlationid", "causationid");
    private static final List<String> SIMPLE_FIELDS = List.of(
            "event_type", "payload", "event_id", "timestamp", "source", "correlation_id", "causation_id",
            "parent_event_id");
    static final String SIMPLE_SOURCE = "urn:relay:producer";

    private EnvelopeReader() {}

    static Envelope read(byte[] utf8) {
        if (utf8.length > Envelope.MAX_BYTES) {
            throw tooLarge(utf8.length);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        try {
            return read(decoder.decode(in).toString());
        } catch (CharacterCodingException e) {
            throw new InvalidEventException("$", "not valid UTF-8 (at byte " + in.position() + ")");
        }
    }

    static Envelope read(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("$", "empty body; expected a JSON object");
        }
        int bytes = utf8Length(json);
        if (bytes > Envelope.MAX_BYTES) {
            throw tooLarge(bytes);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new InvalidEventException("$", "nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidEventException("$", "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new InvalidEventException("$", "expected a JSON object, got " + kind(root));
        }
        if (object.has("specversion") || (object.has("type") && !object.has("event_type"))) {
            return cloudEvent(object);
        }
        if (object.has("event_type")) {
            return simpleEvent(object);
        }
        throw new InvalidEventException("$",
                "neither a CloudEvent (specversion, id, source, type, data) nor a simple event (event_type, payload)");
    }

    static void checkType(String type) {
        if (type == null || type.isEmpty()) {
            throw new InvalidEventException("type", "required");
        }
        if (type.length() > MAX_TYPE_LENGTH) {
            throw new InvalidEventException("type", "longer than " + MAX_TYPE_LENGTH + " characters");
        }
        if (!TYPE.matcher(type).matches()) {
            throw new InvalidEventException("type", "'" + abbreviate(type)
                    + "' is not an event type: use dot-separated lowercase words, e.g. customer.signup");
        }
    }

    private static Envelope cloudEvent(ObjectNode node) {
        String specversion = requiredString(node, "specversion");
        if (!Envelope.SPEC_VERSION.equals(specversion)) {
            throw new InvalidEventException("specversion", "'" + abbreviate(specversion) + "' is not supported; use \"1.0\"");
        }
        String id = id(requiredString(node, "id"), "id");
        String source = requiredString(node, "source");
        String type = requiredString(node, "type");
        checkType(type);
        Instant time = optionalString(node, "time") == null ? now() : time(optionalString(node, "time"), "time");
        String contentType = optionalString(node, "datacontenttype");
        if (contentType != null && !isJson(contentType)) {
            throw new InvalidEventException("datacontenttype",
                    "'" + abbreviate(contentType) + "' is not supported; data must be a JSON object (application/json)");
        }
        if (node.has("data_base64")) {
            throw new InvalidEventException("data_base64", "binary data is not supported; send a JSON object in data");
        }
        ObjectNode data = data(node.get("data"), "data");
        String correlationId = optionalString(node, "correlationid");
        String causationId = optionalString(node, "causationid");
        Map<String, JsonNode> extensions = new LinkedHashMap<>();
        for (var field : node.properties()) {
            String name = field.getKey();
            if (CONTEXT_ATTRIBUTES.contains(name)) {
                continue;
            }
            if (!EXTENSION_NAME.matcher(name).matches()) {
                throw new InvalidEventException(name,
                        "not a CloudEvents attribute name (lowercase letters and digits, at most 20)");
            }
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new InvalidEventException(name, "extension attributes must be a string, number or boolean");
            }
            extensions.put(name, field.getValue());
        }
        return new Envelope(id, source, type, time, optionalString(node, "subject"), data,
                correlationId == null ? null : id(correlationId, "correlationid"),
                causationId == null ? null : id(causationId, "causationid"), extensions);
    }

    private static Envelope simpleEvent(ObjectNode node) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!SIMPLE_FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidEventException(unknown.get(0),
                    "unknown field in a simple event (allowed: " + String.join(", ", SIMPLE_FIELDS) + ")");
        }
        String type = requiredString(node, "event_type");
        try {
            checkType(type);
        } catch (InvalidEventException e) {
            throw new InvalidEventException("event_type", e.reason());
        }
        if (!node.has("payload")) {
            throw new InvalidEventException("payload", "required (a JSON object)");
        }
        ObjectNode payload = data(node.get("payload"), "payload");
        String eventId = optionalString(node, "event_id");
        // Without an event_id, the id is derived from the content: every queue that receives this body (and
        // every redelivery) must see the same id, or idempotency and correlation would break.
        String id = eventId == null
                ? UUID.nameUUIDFromBytes(Json.canonical(node).getBytes(StandardCharsets.UTF_8)).toString()
                : id(eventId, "event_id");
        String timestamp = optionalString(node, "timestamp");
        String source = optionalString(node, "source");
        String causation = optionalString(node, "causation_id");
        String parent = optionalString(node, "parent_event_id");
        if (causation != null && parent != null && !causation.equals(parent)) {
            throw new InvalidEventException("parent_event_id", "differs from causation_id; give one of them");
        }
        String causationId = causation != null ? causation : parent;
        String correlationId = optionalString(node, "correlation_id");
        return new Envelope(id, source == null ? SIMPLE_SOURCE : source, type,
                timestamp == null ? now() : time(timestamp, "timestamp"), null, payload,
                correlationId == null ? null : id(correlationId, "correlation_id"),
                causationId == null ? null : id(causationId, causation != null ? "causation_id" : "parent_event_id"),
                Map.of());
    }

    private static ObjectNode data(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return Json.object();
        }
        if (value instanceof ObjectNode object) {
            return object;
        }
        throw new InvalidEventException(field, "must be a JSON object, got " + kind(value));
    }

    private static String requiredString(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException(field, "required");
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(field, "must be a string, got " + kind(value));
        }
        if (value.asText().isBlank()) {
            throw new InvalidEventException(field, "must not be empty");
        }
        return value.asText();
    }

    private static String optionalString(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return requiredString(node, field);
    }

    private static String id(String value, String field) {
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException(field, "longer than " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidEventException(field, "must be printable ASCII without spaces (character " + i + ")");
            }
        }
        return value;
    }

    private static Instant time(String value, String field) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // Producers in the field send naive UTC timestamps (Python's datetime.utcnow().isoformat()).
                return java.time.LocalDateTime.parse(value).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw new InvalidEventException(field, "'" + abbreviate(value) + "' is not an RFC 3339 timestamp");
            }
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static InvalidEventException tooLarge(int bytes) {
        return new InvalidEventException("$", "event is " + bytes + " bytes; the limit is " + Envelope.MAX_BYTES);
    }

    private static int utf8Length(String s) {
        if (s.length() * 3L <= Envelope.MAX_BYTES) {
            return s.length();
        }
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
