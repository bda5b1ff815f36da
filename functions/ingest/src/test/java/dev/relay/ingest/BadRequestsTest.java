package dev.relay.ingest;

import static dev.relay.ingest.Fixture.SECRET;
import static dev.relay.ingest.Fixture.T0;
import static dev.relay.ingest.Fixture.body;
import static dev.relay.ingest.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that must not publish anything: each gets its status and a problem detail naming the field, and the queue
 * the topic delivers to stays empty.
 */
class BadRequestsTest {

    private static final String JSON = "application/json";
    private static final String CE = "application/cloudevents+json";
    private static final String GOOD_CE = "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"urn:test\","
            + "\"type\":\"test.happened\",\"data\":{}}";
    private static final String GOOD_SIMPLE = "{\"event_type\":\"test.happened\",\"payload\":{}}";
    private static final long NOW = T0.getEpochSecond();

    /** One bad request: what is sent, and the status, field and detail it must be answered with. */
    record Bad(String route, Map<String, String> headers, String body, boolean base64, boolean sentBefore, int status,
               String field, String detail) {

        Bad twice() {
            return new Bad(route, headers, body, base64, true, status, field, detail);
        }

        APIGatewayV2HTTPEvent event() {
            return APIGatewayV2HTTPEvent.builder().withRouteKey(route).withHeaders(headers).withBody(body)
                    .withIsBase64Encoded(base64).build();
        }
    }

    static Stream<Arguments> badRequests() {
        String huge = "{\"event_type\":\"test.happened\",\"payload\":{\"blob\":\"" + "x".repeat(270_000) + "\"}}";
        String deep = "{\"event_type\":\"test.happened\",\"payload\":" + "{\"a\":".repeat(70) + "1" + "}".repeat(70) + "}";
        String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, GOOD_SIMPLE)) + "]";
        String bigBatch = "[" + String.join(",", java.util.Collections.nCopies(11, huge)) + "]";
        String webhookBody = GOOD_SIMPLE;
        String invalidWebhookBody = "{\"event_type\":\"test.happened\",\"payload\":[]}";
        Map<String, String> wrongSecret = signed(webhookBody, NOW, "not-the-secret");
        Map<String, String> expired = signed(webhookBody, NOW - 301, SECRET);
        Map<String, String> future = signed(webhookBody, NOW + 400, SECRET);
        Map<String, String> replayed = signed(invalidWebhookBody, NOW, SECRET);
        Map<String, String> signedOtherBody = signed("{\"event_type\":\"other.thing\",\"payload\":{}}", NOW, SECRET);
        Map<String, String> padded = headers(JSON, "x-padding", "p".repeat(11_000));

        List<Object[]> rows = new ArrayList<>();
        // --- the body: JSON, size, encoding
        rows.add(row("invalid JSON", events(JSON, "{\"event_type\": "), 400, "$", "not valid JSON at line 1"));
        rows.add(row("empty body", events(JSON, ""), 400, "$", "empty body"));
        rows.add(row("not an object", events(JSON, "[1,2]"), 400, "$", "expected a JSON object, got an array"));
        rows.add(row("duplicate keys", events(JSON, "{\"event_type\":\"a.b\",\"event_type\":\"c.d\",\"payload\":{}}"),
                400, "$", "Duplicate field 'event_type'"));
        rows.add(row("nested too deep", events(JSON, deep), 400, "$", "nested deeper than 64 levels"));
        rows.add(row("body over 256 KiB", events(JSON, huge), 413, "$", "an event may have at most 262144"));
        rows.add(row("non-UTF-8 bytes (base64 body)", new Bad("POST /events", headers(JSON), Base64.getEncoder()
                .encodeToString(new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'}), true, false, 0, null, null),
                400, "$", "not valid UTF-8 (at byte 2)"));
        rows.add(row("base64 flag on a body that is not base64", new Bad("POST /events", headers(JSON), GOOD_SIMPLE,
                true, false, 0, null, null), 400, "body", "isBase64Encoded is true but the body is not valid base64"));
        // --- the content type
        rows.add(row("wrong content type", events("text/plain", GOOD_SIMPLE), 415, "content-type", "'text/plain' is not accepted"));
        rows.add(row("no content type", new Bad("POST /events", Map.of(), GOOD_SIMPLE, false, false, 0, null, null),
                415, "content-type", "Content-Type is required"));
        rows.add(row("charset not UTF-8", events(JSON + "; charset=ISO-8859-1", GOOD_SIMPLE), 415, "content-type",
                "charset ISO-8859-1 is not accepted"));
        rows.add(row("a batch media type on /events", events("application/cloudevents-batch+json", "[" + GOOD_CE + "]"),
                415, "content-type", "send it to POST /events:batch"));
        rows.add(row("structured mode with a simple event", events(CE, GOOD_SIMPLE), 400, "specversion",
                "specversion: required"));
        // --- the event
        rows.add(row("missing type", events(CE, GOOD_CE.replace("\"type\":\"test.happened\",", "")), 400, "type",
                "type: required"));
        rows.add(row("missing event_type", events(JSON, "{\"event_type\":null,\"payload\":{}}"), 400, "event_type",
                "event_type: required"));
        rows.add(row("not an event type", events(CE, GOOD_CE.replace("test.happened", "Test Happened")), 400, "type",
                "is not an event type"));
        rows.add(row("unknown specversion", events(CE, GOOD_CE.replace("1.0", "0.3")), 400, "specversion",
                "'0.3' is not supported; use \"1.0\""));
        rows.add(row("payload not an object", events(JSON, "{\"event_type\":\"test.happened\",\"payload\":[1]}"), 400,
                "payload", "payload: must be a JSON object, got an array"));
        rows.add(row("data not an object", events(CE, GOOD_CE.replace("\"data\":{}", "\"data\":\"text\"")), 400, "data",
                "data: must be a JSON object, got a string"));
        rows.add(row("data_base64", events(CE, GOOD_CE.replace("\"data\":{}", "\"data_base64\":\"AAA=\"")), 400,
                "data_base64", "binary data is not supported"));
        rows.add(row("unknown simple field", events(JSON, "{\"event_type\":\"test.happened\",\"payload\":{},\"prio\":1}"),
                400, "prio", "unknown field in a simple event"));
        rows.add(row("time not RFC 3339", events(CE, GOOD_CE.replace("\"data\"", "\"time\":\"yesterday\",\"data\"")), 400,
                "time", "'yesterday' is not an RFC 3339 timestamp"));
        rows.add(row("id with a space", events(CE, GOOD_CE.replace("e-1", "e 1")), 400, "id",
                "must be printable ASCII without spaces"));
        rows.add(row("two causation ids", events(JSON, "{\"event_type\":\"test.happened\",\"payload\":{},"
                + "\"causation_id\":\"a\",\"parent_event_id\":\"b\"}"), 400, "parent_event_id", "differs from causation_id"));
        // --- binary mode
        rows.add(row("binary mode without ce-specversion", events(headers(JSON, "ce-type", "test.happened", "ce-id", "1",
                "ce-source", "urn:x"), "{}"), 400, "ce-specversion", "ce-specversion: required in binary mode"));
        rows.add(row("binary mode bad ce-type", events(binary("Test Happened"), "{}"), 400, "ce-type",
                "ce-type: 'Test Happened' is not an event type"));
        rows.add(row("binary mode body not an object", events(binary("test.happened"), "[1]"), 400, "data",
                "data: must be a JSON object, got an array"));
        rows.add(row("binary mode with a text body", events(with(binary("test.happened"), "content-type", "text/plain"),
                "hello"), 415, "content-type", "or binary mode (ce-* headers) with a JSON body"));
        rows.add(row("binary mode ce-data header", events(with(binary("test.happened"), "ce-data", "{}"), "{}"), 400,
                "ce-data", "ce-data: not allowed in binary mode"));
        rows.add(row("binary mode bad percent-encoding", events(with(binary("test.happened"), "ce-source", "urn:%zz"),
                "{}"), 400, "ce-source", "'%' must start a percent-encoded byte"));
        rows.add(row("binary mode bad extension name", events(with(binary("test.happened"), "ce-trace-id", "1"), "{}"),
                400, "ce-trace-id", "not a CloudEvents attribute name"));
        rows.add(row("huge header", events(padded, GOOD_SIMPLE), 431, "x-padding", "at most 10240 in all"));
        // --- batches
        rows.add(row("batch over the limit", batch(JSON, eleven), 400, "$", "11 events; a batch holds at most 10"));
        rows.add(row("batch not an array", batch(JSON, GOOD_SIMPLE), 400, "$", "expected a JSON array"));
        rows.add(row("empty batch", batch(JSON, "[]"), 400, "$", "the batch is empty"));
        rows.add(row("batch over 2.5 MiB", batch(JSON, bigBatch), 413, "$", "a batch may have at most 2621440"));
        rows.add(row("one structured event to the batch route", batch(CE, GOOD_CE), 415, "content-type",
                "is one event: send it to POST /events"));
        rows.add(row("batch of bad items only", batch(JSON, "[{\"event_type\":\"x\",\"payload\":{}},[]]"), 207,
                "event_type", "'x' is not an event type"));
        rows.add(row("CloudEvents batch with a simple event", batch("application/cloudevents-batch+json",
                "[" + GOOD_SIMPLE + "]"), 207, "specversion", "specversion: required"));
        rows.add(row("batch item over 256 KiB", batch(JSON, "[" + huge + "]"), 207, "$", "an event may have at most"));
        // --- webhook signatures
        rows.add(row("no signature", webhook(headers(JSON), webhookBody), 401, "X-Relay-Signature", "required: t=<unix seconds>"));
        rows.add(row("malformed signature", webhook(headers(JSON, "x-relay-signature", "sha256=abc"), webhookBody), 401,
                "X-Relay-Signature", "v1"));
        rows.add(row("signature not hex", webhook(headers(JSON, "x-relay-signature", "t=" + NOW + ",v1=xyz"), webhookBody),
                401, "X-Relay-Signature", "v1 must be 64 hex characters"));
        rows.add(row("wrong secret", webhook(wrongSecret, webhookBody), 401, "X-Relay-Signature", "no v1 matches the body"));
        rows.add(row("signature of another body", webhook(signedOtherBody, webhookBody), 401, "X-Relay-Signature",
                "no v1 matches the body"));
        rows.add(row("expired signature", webhook(expired, webhookBody), 401, "X-Relay-Signature", "is 301 s old"));
        rows.add(row("signature from the future", webhook(future, webhookBody), 401, "X-Relay-Signature", "400 s in the future"));
        rows.add(row("replayed signature", webhook(replayed, invalidWebhookBody).twice(), 403, "X-Relay-Signature",
                "this signature was already used"));
        rows.add(row("signed but invalid event", webhook(signed(invalidWebhookBody, NOW, SECRET), invalidWebhookBody), 400,
                "payload", "payload: must be a JSON object"));
        rows.add(row("unknown route", new Bad("GET /events", headers(JSON), GOOD_SIMPLE, false, false, 0, null, null),
                404, null, "no ingest route GET /events"));
        return rows.stream().map(Arguments::of);
    }

    private final Fixture fixture = new Fixture();

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAProblemDetailAndPublishesNothing(String name, Bad bad) {
        if (bad.sentBefore()) {
            fixture.post(bad.event());
        }

        APIGatewayV2HTTPResponse response = fixture.post(bad.event());

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(bad.status());
        JsonNode problem = body(response);
        if (bad.status() == 207) {
            assertThat(problem.get("accepted").asInt()).isZero();
            JsonNode first = problem.at("/results/0");
            assertThat(first.get("status").asText()).isEqualTo("rejected");
            problem = first.get("problem");
            assertThat(problem.get("status").asInt()).isEqualTo(first.get("code").asInt());
        } else {
            assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
            assertThat(problem.get("status").asInt()).isEqualTo(bad.status());
        }
        assertThat(problem.path("field").isMissingNode() ? null : problem.get("field").asText()).isEqualTo(bad.field());
        assertThat(problem.get("detail").asText()).contains(bad.detail());
        assertThat(fixture.queue.depth()).as("nothing published").isZero();
    }

    private static Object[] row(String name, Bad request, int status, String field, String detail) {
        return new Object[] {name, new Bad(request.route(), request.headers(), request.body(), request.base64(),
                request.sentBefore(), status, field, detail)};
    }

    private static Bad events(String contentType, String body) {
        return events(headers(contentType), body);
    }

    private static Bad events(Map<String, String> headers, String body) {
        return new Bad("POST /events", headers, body, false, false, 0, null, null);
    }

    private static Bad batch(String contentType, String body) {
        return new Bad("POST /events:batch", headers(contentType), body, false, false, 0, null, null);
    }

    private static Bad webhook(Map<String, String> headers, String body) {
        return new Bad("POST /webhooks/events", headers, body, false, false, 0, null, null);
    }

    private static Map<String, String> headers(String contentType, String... more) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    private static Map<String, String> binary(String type) {
        return headers(JSON, "ce-specversion", "1.0", "ce-id", "b-1", "ce-source", "urn:test", "ce-type", type);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }
}
