package dev.relay.ingest;

import static dev.relay.ingest.Fixture.SECRET;
import static dev.relay.ingest.Fixture.T0;
import static dev.relay.ingest.Fixture.base64;
import static dev.relay.ingest.Fixture.body;
import static dev.relay.ingest.Fixture.json;
import static dev.relay.ingest.Fixture.request;
import static dev.relay.ingest.Fixture.signed;
import static dev.relay.ingest.Fixture.structured;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import dev.relay.core.event.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sqs.model.Message;

/** Each accepted form publishes exactly the expected message, once per id, checked on a real queue. */
class IngestFunctionTest {

    private static final Path EVENTS = Path.of("../../events/lambda").toAbsolutePath().normalize();
    private static final String CLOUD_EVENT = """
            {"specversion":"1.0","id":"deploy-42","source":"urn:ci:github-actions","type":"deploy.completed",
             "time":"2026-11-21T09:59:58Z","correlationid":"release-7","subject":"checkout-api","traceparent":"00-abc",
             "data":{"service":"checkout-api","status":"succeeded"}}""";

    private final Fixture fixture = new Fixture();

    @Test
    void aStructuredCloudEventIsPublishedAsItCameWithItsAttributes() {
        APIGatewayV2HTTPResponse response = fixture.post(request("POST /events", structured(), CLOUD_EVENT));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        assertThat(body(response)).isEqualTo(Json.object().put("event_id", "deploy-42").put("status", "accepted")
                .put("correlation_id", "release-7"));
        Message message = single(fixture.queue.drain());
        assertThat(message.body()).isEqualTo(Envelope.parse(CLOUD_EVENT).toJson());
        assertThat(attributes(message)).isEqualTo(Map.of("type", "deploy.completed", "id", "deploy-42",
                "correlationid", "release-7"));
        assertThat(Envelope.parse(message.body()).extensions().get("traceparent").asText()).isEqualTo("00-abc");
    }

    @Test
    void binaryModeHeadersBecomeTheEnvelopeAndTheBodyItsData() {
        Map<String, String> headers = new LinkedHashMap<>(json());
        headers.put("ce-specversion", "1.0");
        headers.put("ce-id", "alert-7f3a9c");
        headers.put("ce-source", "urn:monitoring:prometheus%2Feu-west-1");
        headers.put("ce-type", "alert.triggered");
        headers.put("ce-time", "2026-11-21T09:58:05Z");
        headers.put("ce-correlationid", "incident-9");
        headers.put("ce-region", "eu%C3%A9");

        APIGatewayV2HTTPResponse response = fixture.post(request("POST /events", headers,
                "{\"alert\":\"CheckoutLatencyHigh\",\"value\":2350}"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        Envelope published = Envelope.parse(single(fixture.queue.drain()).body());
        assertThat(published.id()).isEqualTo("alert-7f3a9c");
        assertThat(published.source()).isEqualTo("urn:monitoring:prometheus/eu-west-1");
        assertThat(published.type()).isEqualTo("alert.triggered");
        assertThat(published.correlationId()).isEqualTo("incident-9");
        assertThat(published.extensions().get("region").asText()).isEqualTo("eué");
        assertThat(published.data()).isEqualTo(Json.object().put("alert", "CheckoutLatencyHigh").put("value", 2350));
    }

    @Test
    void theSimpleFormWithoutAnIdIsANewEventEachTimeAsInTheSeedApi() {
        String body = "{\"event_type\":\"deploy.completed\",\"payload\":{\"service\":\"checkout-api\"}}";

        JsonNode first = body(fixture.post(request("POST /events", json(), body)));
        JsonNode second = body(fixture.post(request("POST /events", json(), body)));

        assertThat(first.get("event_id").asText()).isNotEqualTo(second.get("event_id").asText());
        assertThat(first.get("correlation_id")).isEqualTo(first.get("event_id"));
        List<Message> messages = fixture.queue.drain();
        assertThat(messages).hasSize(2);
        assertThat(messages).extracting(m -> attributes(m).get("id"))
                .containsExactlyInAnyOrder(first.get("event_id").asText(), second.get("event_id").asText());
        Envelope published = Envelope.parse(messages.getFirst().body());
        assertThat(published.source()).isEqualTo("urn:relay:producer");
        assertThat(published.data()).isEqualTo(Json.object().put("service", "checkout-api"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"structured", "simple", "binary", "base64"})
    void theSameIdTwiceIsPublishedOnceAndAnsweredTheSameWayBothTimes(String form) {
        APIGatewayV2HTTPEvent request = switch (form) {
            case "structured" -> request("POST /events", structured(), CLOUD_EVENT);
            case "simple" -> request("POST /events", json(),
                    "{\"event_type\":\"deploy.completed\",\"event_id\":\"deploy-42\",\"payload\":{}}");
            case "binary" -> request("POST /events", Map.of("content-type", "application/json", "ce-specversion", "1.0",
                    "ce-id", "deploy-42", "ce-source", "urn:ci", "ce-type", "deploy.completed"), "{}");
            default -> base64("POST /events", structured(), CLOUD_EVENT.getBytes(StandardCharsets.UTF_8));
        };

        APIGatewayV2HTTPResponse first = fixture.post(request);
        fixture.clock.advance(Duration.ofMinutes(10));
        APIGatewayV2HTTPResponse second = fixture.post(request);

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(202);
        assertThat(second.getStatusCode()).isEqualTo(202);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(second.getHeaders()).isEqualTo(first.getHeaders());
        assertThat(body(first).get("event_id").asText()).isEqualTo("deploy-42");
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @Test
    void aRetryThatRestampsTheTimeIsTheSameEventButOtherContentUnderTheSameIdIsAConflict() {
        fixture.post(request("POST /events", structured(), CLOUD_EVENT));

        APIGatewayV2HTTPResponse restamped = fixture.post(request("POST /events", structured(),
                CLOUD_EVENT.replace("09:59:58Z", "10:00:03Z")));
        APIGatewayV2HTTPResponse other = fixture.post(request("POST /events", structured(),
                CLOUD_EVENT.replace("succeeded", "failed")));

        assertThat(restamped.getStatusCode()).isEqualTo(202);
        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(body(other).get("field").asText()).isEqualTo("id");
        assertThat(body(other).get("detail").asText()).contains("deploy-42 was accepted for a different event");
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @Test
    void aBatchIsPublishedAndAnsweredPerEvent() {
        String batch = "[" + CLOUD_EVENT + ","
                + "{\"event_type\":\"customer.signup\",\"event_id\":\"signup-1\",\"payload\":{\"user_id\":\"u1\"}},"
                + "{\"event_type\":\"order.placed\",\"payload\":{\"order_id\":\"1001\"}}]";

        APIGatewayV2HTTPResponse response = fixture.post(request("POST /events:batch", json(), batch));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        JsonNode body = body(response);
        assertThat(body.get("accepted").asInt()).isEqualTo(3);
        assertThat(body.get("results").findValuesAsText("status")).containsOnly("accepted");
        assertThat(body.at("/results/0/event_id").asText()).isEqualTo("deploy-42");
        assertThat(body.at("/results/1/event_id").asText()).isEqualTo("signup-1");
        assertThat(fixture.queue.drain()).extracting(m -> attributes(m).get("type"))
                .containsExactlyInAnyOrder("deploy.completed", "customer.signup", "order.placed");
    }

    @Test
    void aMixedBatchPublishesItsGoodEventsAndNamesTheFieldOfEachBadOne() {
        String batch = "[" + CLOUD_EVENT + ","
                + "{\"event_type\":\"Not A Type\",\"payload\":{}},"
                + "{\"event_type\":\"customer.signup\",\"event_id\":\"signup-1\",\"payload\":[1]},"
                + "{\"event_type\":\"customer.signup\",\"event_id\":\"signup-2\",\"payload\":{}}]";

        APIGatewayV2HTTPResponse response = fixture.post(request("POST /events:batch", json(), batch));

        assertThat(response.getStatusCode()).isEqualTo(207);
        JsonNode body = body(response);
        assertThat(body.get("accepted").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").asInt()).isEqualTo(2);
        assertThat(body.at("/results/1/status").asText()).isEqualTo("rejected");
        assertThat(body.at("/results/1/code").asInt()).isEqualTo(400);
        assertThat(body.at("/results/1/problem/field").asText()).isEqualTo("event_type");
        assertThat(body.at("/results/2/problem/field").asText()).isEqualTo("payload");
        assertThat(body.at("/results/2/problem/detail").asText()).isEqualTo("payload: must be a JSON object, got an array");
        assertThat(fixture.queue.drain()).extracting(m -> attributes(m).get("id"))
                .containsExactlyInAnyOrder("deploy-42", "signup-2");
    }

    @Test
    void anIdTwiceInOneBatchIsPublishedOnce() {
        String twice = "[" + CLOUD_EVENT + "," + CLOUD_EVENT + "," + CLOUD_EVENT.replace("succeeded", "failed") + "]";

        JsonNode body = body(fixture.post(request("POST /events:batch", json(), twice)));

        assertThat(body.at("/results/0/status").asText()).isEqualTo("accepted");
        assertThat(body.at("/results/1/status").asText()).isEqualTo("accepted");
        assertThat(body.at("/results/2/code").asInt()).isEqualTo(409);
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @Test
    void whenTheTopicIsDownNothingIsAcceptedAndTheRetryPublishes() {
        IngestFunction topicDown = fixture.function(new SnsTopic(FailingSns.unreachable(), "arn:aws:sns:us-east-1:000000000000:relay-events"));

        APIGatewayV2HTTPResponse failed = topicDown.handleRequest(request("POST /events", structured(), CLOUD_EVENT), null);
        APIGatewayV2HTTPResponse retried = fixture.post(request("POST /events", structured(), CLOUD_EVENT));

        assertThat(failed.getStatusCode()).isEqualTo(503);
        assertThat(failed.getHeaders()).containsEntry("content-type", "application/problem+json").containsKey("Retry-After");
        assertThat(retried.getStatusCode()).isEqualTo(202);
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @Test
    void aRequestThatDiesAfterPublishingIsRepublishedByTheRetryOnceItsLeaseEnds() {
        AtomicBoolean crash = new AtomicBoolean(true);
        IngestFunction dying = fixture.function(events -> {
            List<Optional<Problem>> published = fixture.queue.publish(events);
            if (crash.get()) {
                throw new EnvironmentDied();
            }
            return published;
        });
        try {
            dying.handleRequest(request("POST /events", structured(), CLOUD_EVENT), null);
        } catch (EnvironmentDied expected) {
            // as Lambda would: the invocation is gone
        }

        APIGatewayV2HTTPResponse during = fixture.post(request("POST /events", structured(), CLOUD_EVENT));
        fixture.clock.advance(AcceptanceLedger.LEASE.plusSeconds(1));
        APIGatewayV2HTTPResponse after = fixture.post(request("POST /events", structured(), CLOUD_EVENT));
        APIGatewayV2HTTPResponse later = fixture.post(request("POST /events", structured(), CLOUD_EVENT));

        assertThat(during.getStatusCode()).isEqualTo(409);
        assertThat(during.getHeaders()).containsKey("Retry-After");
        assertThat(body(during).get("detail").asText()).contains("being published by another request");
        assertThat(after.getStatusCode()).isEqualTo(202);
        assertThat(later.getBody()).isEqualTo(after.getBody());
        List<Message> messages = fixture.queue.drain();
        assertThat(messages).as("at least once, same id and same bytes: consumers deduplicate by id").hasSize(2);
        assertThat(messages.get(0).body()).isEqualTo(messages.get(1).body());
    }

    @Test
    void aSignedWebhookIsAcceptedOnceAndItsReplayRefused() {
        String body = "{\"event_type\":\"email.received\",\"payload\":{\"subject\":\"Renewal\"}}";
        Map<String, String> headers = signed(body, T0.getEpochSecond() - 30, SECRET);

        APIGatewayV2HTTPResponse first = fixture.post(request("POST /webhooks/events", headers, body));
        fixture.clock.advance(Duration.ofMinutes(2));
        APIGatewayV2HTTPResponse replay = fixture.post(request("POST /webhooks/events", headers, body));

        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(202);
        assertThat(replay.getStatusCode()).isEqualTo(403);
        assertThat(body(replay).get("field").asText()).isEqualTo("X-Relay-Signature");
        assertThat(body(replay).get("detail").asText()).contains("already used");
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @Test
    void whileTheSecretRotatesEitherSignatureIsAccepted() {
        String body = "{\"event_type\":\"email.received\",\"payload\":{}}";
        long t = T0.getEpochSecond();
        String header = "t=" + t + ",v1=" + WebhookSignature.sign("the-old-secret", t, body.getBytes(StandardCharsets.UTF_8))
                + ",v1=" + WebhookSignature.sign(SECRET, t, body.getBytes(StandardCharsets.UTF_8)) + ",v0=ignored";

        APIGatewayV2HTTPResponse response = fixture.post(request("POST /webhooks/events",
                Map.of("content-type", "application/json", "x-relay-signature", header), body));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @Test
    void aWebhookThatFailsOnOurSideMayBeRetriedWithTheSameSignature() {
        String body = "{\"event_type\":\"email.received\",\"event_id\":\"mail-1\",\"payload\":{}}";
        Map<String, String> headers = signed(body, T0.getEpochSecond(), SECRET);
        IngestFunction topicDown = fixture.function(new SnsTopic(FailingSns.unreachable(), "arn:aws:sns:us-east-1:000000000000:relay-events"));

        APIGatewayV2HTTPResponse failed = topicDown.handleRequest(request("POST /webhooks/events", headers, body), null);
        APIGatewayV2HTTPResponse retried = fixture.post(request("POST /webhooks/events", headers, body));

        assertThat(failed.getStatusCode()).isEqualTo(503);
        assertThat(retried.getStatusCode()).as(retried.getBody()).isEqualTo(202);
        assertThat(fixture.queue.drain()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-structured.json", "ingest-binary.json", "ingest-simple.json", "ingest-batch.json",
            "ingest-webhook.json"})
    void theRepositorySamplesAreAccepted(String sample) throws IOException {
        APIGatewayV2HTTPResponse response = fixture.post(sample(sample));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(fixture.queue.drain()).hasSize(sample.contains("batch") ? 2 : 1);
    }

    /** What a Lambda environment that is killed mid-invocation looks like from inside: nothing after it runs. */
    private static final class EnvironmentDied extends Error {
        EnvironmentDied() {
            super("the execution environment died before recording the event as accepted", null, false, false);
        }
    }

    private static Message single(List<Message> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    private static Map<String, String> attributes(Message message) {
        Map<String, String> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
        return attributes;
    }

    private static APIGatewayV2HTTPEvent sample(String name) throws IOException {
        try (InputStream in = Files.newInputStream(EVENTS.resolve(name))) {
            return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, IngestFunctionTest.class.getClassLoader())
                    .fromJson(in);
        }
    }
}
