package dev.relay.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the events of a request in the three forms producers send, following the CloudEvents HTTP binding:
 * <ul>
 *   <li>structured mode: {@code Content-Type: application/cloudevents+json}, the body a CloudEvent;
 *   <li>binary mode: the context attributes in {@code ce-*} headers, the body (JSON) the event's data;
 *   <li>{@code application/json} without {@code ce-*} headers: a CloudEvent or the simple
 *       {@code {"event_type", "payload"}} form.
 * </ul>
 * Validation is {@link Envelope#parse}'s; this class only decides the form and names fields as the request does
 * ({@code ce-type} in binary mode).
 */
final class SubmissionReader {

    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    static final String JSON = "application/json";
    /** SNS PublishBatch's limit: a batch is published in one call. */
    static final int MAX_BATCH_EVENTS = SnsEventPublisher.BATCH_LIMIT;
    static final int MAX_BATCH_BYTES = MAX_BATCH_EVENTS * Envelope.MAX_BYTES;

    private static final String BINARY_PREFIX = "ce-";
    /** Binary mode carries these in the body and Content-Type, never in ce-* headers. */
    private static final Set<String> NOT_HEADERS = Set.of("data", "data_base64", "datacontenttype");

    private SubmissionReader() {
    }

    /** The one event of {@code POST /events}; throws the problem when there is none. */
    static Submission.Valid single(HttpRequest request) {
        MediaType type = MediaType.of(request);
        if (type.is(STRUCTURED)) {
            limit(request.body().length, Envelope.MAX_BYTES, "an event");
            return document(JsonBody.read(request.body(), "$"), true);
        }
        if (type.is(BATCH)) {
            throw Problem.unsupportedMediaType(BATCH + " is a batch: send it to POST /events:batch");
        }
        boolean binary = request.headers().keySet().stream().anyMatch(name -> name.startsWith(BINARY_PREFIX));
        if (!type.isJson()) {
            throw Problem.unsupportedMediaType("'" + type.value() + "' is not accepted: send " + STRUCTURED
                    + (binary ? ", or binary mode (ce-* headers) with a JSON body as " + JSON : " or " + JSON));
        }
        limit(request.body().length, Envelope.MAX_BYTES, "an event");
        return binary ? binary(request, type) : document(JsonBody.read(request.body(), "$"), false);
    }

    /** The events of {@code POST /events:batch}, each read on its own: one bad event does not spoil the others. */
    static List<Submission> batch(HttpRequest request) {
        MediaType type = MediaType.of(request);
        if (type.is(STRUCTURED)) {
            throw Problem.unsupportedMediaType(STRUCTURED + " is one event: send it to POST /events, or a JSON array "
                    + "of events here as " + BATCH);
        }
        if (!type.is(BATCH) && !type.is(JSON)) {
            throw Problem.unsupportedMediaType("'" + type.value() + "' is not accepted: send a JSON array of events as "
                    + BATCH + " (CloudEvents only) or " + JSON + " (CloudEvents or simple events)");
        }
        limit(request.body().length, MAX_BATCH_BYTES, "a batch");
        JsonNode tree = JsonBody.read(request.body(), "$");
        if (!tree.isArray()) {
            throw Problem.badRequest("$", "$: expected a JSON array of 1 to " + MAX_BATCH_EVENTS + " events");
        }
        if (tree.isEmpty()) {
            throw Problem.badRequest("$", "$: the batch is empty; send 1 to " + MAX_BATCH_EVENTS + " events");
        }
        if (tree.size() > MAX_BATCH_EVENTS) {
            throw Problem.badRequest("$", "$: " + tree.size() + " events; a batch holds at most " + MAX_BATCH_EVENTS
                    + " (SNS PublishBatch's limit)");
        }
        List<Submission> submissions = new ArrayList<>(tree.size());
        for (JsonNode item : tree) {
            try {
                limit(Json.write(item).getBytes(StandardCharsets.UTF_8).length, Envelope.MAX_BYTES, "an event");
                submissions.add(document(item, type.is(BATCH)));
            } catch (Problem problem) {
                submissions.add(new Submission.Invalid(problem));
            }
        }
        return submissions;
    }

    /** A structured CloudEvent or a simple event, as a JSON tree. */
    private static Submission.Valid document(JsonNode tree, boolean cloudEventOnly) {
        if (cloudEventOnly && tree.isObject() && !tree.has("specversion")) {
            throw Problem.badRequest("specversion", "specversion: required; " + STRUCTURED + " and " + BATCH
                    + " carry CloudEvents (send the simple {\"event_type\", \"payload\"} form as " + JSON + ")");
        }
        Envelope event = parse(tree, Map.of());
        // The same rule as Envelope.parse: event_type without specversion is the simple form.
        boolean simple = tree.has("event_type") && !tree.has("specversion");
        if (simple && !tree.hasNonNull("event_id")) {
            return new Submission.Valid(withFreshId(event, tree.hasNonNull("correlation_id")), false);
        }
        return new Submission.Valid(event, true);
    }

    /**
     * A simple event without {@code event_id} is a new event each time it is posted, as in the seed API; the content
     * hash {@link Envelope#parse} would derive would make two identical posts one event, silently dropped downstream.
     */
    private static Envelope withFreshId(Envelope event, boolean correlationGiven) {
        String id = UUID.randomUUID().toString();
        return new Envelope(id, event.source(), event.type(), event.time(), event.subject(), event.data(),
                correlationGiven ? event.correlationId() : id, event.causationId(), event.extensions());
    }

    private static Submission.Valid binary(HttpRequest request, MediaType type) {
        ObjectNode event = Json.object();
        Map<String, String> headerOf = new java.util.HashMap<>();
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String name = header.getKey();
            if (!name.startsWith(BINARY_PREFIX)) {
                continue;
            }
            String attribute = name.substring(BINARY_PREFIX.length());
            if (NOT_HEADERS.contains(attribute)) {
                throw Problem.badRequest(name, name + ": not allowed in binary mode; the body is the data and "
                        + "Content-Type its type");
            }
            event.put(attribute, percentDecoded(name, header.getValue()));
            headerOf.put(attribute, name);
        }
        if (!event.has("specversion")) {
            throw Problem.badRequest("ce-specversion", "ce-specversion: required in binary mode (with ce-id, "
                    + "ce-source, ce-type; the body is the data)");
        }
        event.put("datacontenttype", type.value());
        headerOf.put("datacontenttype", "content-type");
        if (request.body().length > 0) {
            event.set("data", JsonBody.read(request.body(), "data"));
        }
        return new Submission.Valid(parse(event, headerOf), true);
    }

    private static Envelope parse(JsonNode document, Map<String, String> fieldNames) {
        try {
            return Envelope.parse(Json.write(document));
        } catch (InvalidEventException e) {
            String field = fieldNames.getOrDefault(e.field(), e.field());
            throw Problem.badRequest(field, field + ": " + e.reason());
        }
    }

    /** The CloudEvents HTTP binding percent-encodes header values outside printable ASCII, '"' and '%'. */
    private static String percentDecoded(String header, String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw Problem.badRequest(header, header + ": '%' must start a percent-encoded byte (%XX), at "
                        + "character " + i);
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest(header, header + ": percent-encoded bytes are not valid UTF-8");
        }
    }

    private static void limit(int bytes, int max, String what) {
        if (bytes > max) {
            throw Problem.tooLarge("$", "$: " + bytes + " bytes; " + what + " may have at most " + max
                    + " (SNS's message limit is 256 KiB)");
        }
    }

    /** A Content-Type: its media type, lower case, and the parameters that matter (charset must be UTF-8). */
    record MediaType(String value, String mediaType) {

        static MediaType of(HttpRequest request) {
            String value = request.header("content-type").map(String::trim).orElse("");
            if (value.isEmpty()) {
                throw Problem.unsupportedMediaType("Content-Type is required: " + STRUCTURED + ", " + JSON
                        + " or binary mode (ce-* headers with a JSON body)");
            }
            String[] parts = value.split(";");
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].trim().split("=", 2);
                if (parameter[0].trim().equalsIgnoreCase("charset") && parameter.length == 2
                        && !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                    throw Problem.unsupportedMediaType("charset " + parameter[1].trim() + " is not accepted: events "
                            + "are UTF-8 JSON");
                }
            }
            return new MediaType(value, parts[0].trim().toLowerCase(Locale.ROOT));
        }

        boolean is(String type) {
            return mediaType.equals(type);
        }

        /** {@code application/json} or any {@code +json} type other than the CloudEvents ones. */
        boolean isJson() {
            return is(JSON) || (mediaType.endsWith("+json") && !mediaType.startsWith("application/cloudevents"));
        }
    }
}
