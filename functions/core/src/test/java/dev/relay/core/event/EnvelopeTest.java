package dev.relay.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeTest {

    private static final String SIGNUP = """
            {"specversion":"1.0","id":"evt-1","source":"urn:test","type":"customer.signup",
             "time":"2026-11-21T10:15:30.123Z","datacontenttype":"application/json",
             "correlationid":"corr-1","causationid":"evt-0","tenant":"acme",
             "data":{"email":"ada@example.com","plan":"pro"}}""";

    @Test
    void cloudEventRoundTripsThroughJson() {
        Envelope parsed = Envelope.parse(SIGNUP);
        Envelope again = Envelope.parse(parsed.toJson());

        assertThat(again).isEqualTo(parsed);
        assertThat(parsed.id()).isEqualTo("evt-1");
        assertThat(parsed.type()).isEqualTo("customer.signup");
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-11-21T10:15:30.123Z"));
        assertThat(parsed.correlationId()).isEqualTo("corr-1");
        assertThat(parsed.causationId()).isEqualTo("evt-0");
        assertThat(parsed.data().get("plan").asText()).isEqualTo("pro");
        assertThat(parsed.extensions()).containsKey("tenant");
        assertThat(parsed.toJsonNode().get("specversion").asText()).isEqualTo("1.0");
        assertThat(parsed.toJsonNode().get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void correlationIdDefaultsToTheEventsOwnId() {
        Envelope event = Envelope.parse("""
                {"specversion":"1.0","id":"evt-9","source":"urn:test","type":"alert.triggered","data":{}}""");

        assertThat(event.correlationId()).isEqualTo("evt-9");
        assertThat(event.causationId()).isNull();
    }

    @Test
    void simpleFormIsNormalisedToAnEnvelope() {
        Envelope event = Envelope.parse("""
                {"event_type":"deploy.completed","payload":{"service":"api","status":"failed"}}""");

        assertThat(event.type()).isEqualTo("deploy.completed");
        assertThat(event.id()).isNotBlank();
        assertThat(event.correlationId()).isEqualTo(event.id());
        assertThat(event.source()).isEqualTo(EnvelopeReader.SIMPLE_SOURCE);
        assertThat(event.data().get("status").asText()).isEqualTo("failed");
        assertThat(Envelope.parse(event.toJson())).isEqualTo(event);
    }

    @Test
    void simpleFormWithoutIdGetsTheSameIdWhereverItIsParsed() {
        String body = "{\"event_type\":\"customer.signup\",\"payload\":{\"email\":\"ada@example.com\"}}";
        String reordered = "{\"payload\":{\"email\":\"ada@example.com\"},\"event_type\":\"customer.signup\"}";
        String other = "{\"event_type\":\"customer.signup\",\"payload\":{\"email\":\"bob@example.com\"}}";

        assertThat(Envelope.parse(body).id()).isEqualTo(Envelope.parse(body).id()).isEqualTo(Envelope.parse(reordered).id());
        assertThat(Envelope.parse(other).id()).isNotEqualTo(Envelope.parse(body).id());
    }

    @Test
    void simpleFormKeepsTheProducersIdsAndNaiveUtcTimestamp() {
        Envelope event = Envelope.parse("""
                {"event_type":"credit.analyzed","payload":{"score":720},"event_id":"evt_002",
                 "parent_event_id":"evt_001","correlation_id":"loan-7","timestamp":"2026-01-02T03:04:05.678"}""");

        assertThat(event.id()).isEqualTo("evt_002");
        assertThat(event.causationId()).isEqualTo("evt_001");
        assertThat(event.correlationId()).isEqualTo("loan-7");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));
    }

    @Test
    void followUpKeepsTheFlowAndPointsAtItsCause() {
        Envelope trigger = Envelope.parse(SIGNUP);
        Envelope followUp = trigger.followUp("welcome.email.sent", "urn:relay:onboarding", Json.object().put("to", "ada"));

        assertThat(followUp.correlationId()).isEqualTo("corr-1");
        assertThat(followUp.causationId()).isEqualTo("evt-1");
        assertThat(followUp.id()).isNotEqualTo(trigger.id());
        assertThat(trigger.followUp("welcome.email.sent", "urn:relay:onboarding", Json.object().put("to", "ada")).id())
                .as("a redelivered trigger emits the same follow-up").isEqualTo(followUp.id());
    }

    static Stream<Arguments> badEvents() {
        String big = "x".repeat(Envelope.MAX_BYTES);
        return Stream.of(
                Arguments.of("invalid JSON", "{\"specversion\": \"1.0\", ", "$", "not valid JSON at line 1"),
                Arguments.of("not an object", "[1,2]", "$", "expected a JSON object, got an array"),
                Arguments.of("empty body", "  ", "$", "empty body"),
                Arguments.of("neither form", "{\"hello\":1}", "$", "neither a CloudEvent"),
                Arguments.of("missing id", ce("\"source\":\"s\",\"type\":\"a.b\""), "id", "required"),
                Arguments.of("missing source", ce("\"id\":\"1\",\"type\":\"a.b\""), "source", "required"),
                Arguments.of("missing type", "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\"}", "type", "required"),
                Arguments.of("missing specversion", "{\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\"}", "specversion", "required"),
                Arguments.of("wrong specversion", "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\"}",
                        "specversion", "'0.3' is not supported"),
                Arguments.of("id not a string", ce("\"id\":7,\"source\":\"s\",\"type\":\"a.b\""), "id", "must be a string, got a number"),
                Arguments.of("empty id", ce("\"id\":\"\",\"source\":\"s\",\"type\":\"a.b\""), "id", "must not be empty"),
                Arguments.of("bad type syntax", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"Customer Signup\""), "type",
                        "is not an event type"),
                Arguments.of("bad time", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\",\"time\":\"yesterday\""), "time",
                        "not an RFC 3339 timestamp"),
                Arguments.of("non-object data", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\",\"data\":[1]"), "data",
                        "must be a JSON object, got an array"),
                Arguments.of("binary data", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\",\"data_base64\":\"AA==\""),
                        "data_base64", "binary data is not supported"),
                Arguments.of("non-JSON content type", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\",\"datacontenttype\":\"text/plain\""),
                        "datacontenttype", "'text/plain' is not supported"),
                Arguments.of("bad extension name", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\",\"Tenant-Id\":\"x\""),
                        "Tenant-Id", "not a CloudEvents attribute name"),
                Arguments.of("object extension", ce("\"id\":\"1\",\"source\":\"s\",\"type\":\"a.b\",\"tenant\":{}"),
                        "tenant", "must be a string, number or boolean"),
                Arguments.of("simple: non-object payload", "{\"event_type\":\"a.b\",\"payload\":\"hi\"}", "payload",
                        "must be a JSON object, got a string"),
                Arguments.of("simple: missing payload", "{\"event_type\":\"a.b\"}", "payload", "required"),
                Arguments.of("simple: bad type", "{\"event_type\":\"signup\",\"payload\":{}}", "event_type", "is not an event type"),
                Arguments.of("simple: unknown field", "{\"event_type\":\"a.b\",\"payload\":{},\"colour\":1}", "colour",
                        "unknown field in a simple event"),
                Arguments.of("oversize", "{\"event_type\":\"a.b\",\"payload\":{\"x\":\"" + big + "\"}}", "$",
                        "the limit is 262144"),
                Arguments.of("deeply nested", "{\"event_type\":\"a.b\",\"payload\":" + "{\"a\":".repeat(80) + "1"
                        + "}".repeat(81), "$", "nested deeper than 64 levels"),
                Arguments.of("duplicate key", "{\"event_type\":\"a.b\",\"event_type\":\"c.d\",\"payload\":{}}", "$",
                        "Duplicate field 'event_type'"));
    }

    private static String ce(String fields) {
        return "{\"specversion\":\"1.0\"," + fields + "}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void badEventIsRefusedNamingTheField(String name, String json, String field, String reason) {
        assertThatThrownBy(() -> Envelope.parse(json))
                .isInstanceOf(InvalidEventException.class)
                .satisfies(e -> {
                    InvalidEventException invalid = (InvalidEventException) e;
                    assertThat(invalid.field()).isEqualTo(field);
                    assertThat(invalid.reason()).contains(reason);
                    assertThat(invalid.getStackTrace()).isEmpty();
                });
    }

    @Test
    void invalidUtf8IsReportedWithItsPosition() {
        byte[] body = "{\"event_type\":\"a.b\",\"payload\":{\"x\":\"\u00e9\"}}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 4] = (byte) 0xFF;

        assertThatThrownBy(() -> Envelope.parse(body))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("$: not valid UTF-8 (at byte");
    }
}
