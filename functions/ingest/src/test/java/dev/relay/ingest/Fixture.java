package dev.relay.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import dev.relay.core.audit.LocalDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The ingest function on real parts: the idempotency table on DynamoDB Local (as template.yaml declares it), the topic
 * as a fresh ElasticMQ queue, a clock the test moves, and a known webhook secret.
 */
final class Fixture {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final String SECRET = "relay-sample-webhook-secret";

    final MutableClock clock = new MutableClock(T0);
    final DynamoDbClient dynamo = LocalDynamo.client();
    final String table = LocalDynamo.freshTables(dynamo).idempotencyTableName();
    final QueueTopic queue = QueueTopic.fresh();
    final IngestFunction function = function(queue);

    /** Another instance of the function (as another Lambda environment) on the same table, publishing to {@code topic}. */
    IngestFunction function(TopicPublisher topic) {
        return new IngestFunction(new IngestApi(new Ingestion(new AcceptanceLedger(dynamo, table, clock), topic),
                Optional.of(new WebhookSignature(() -> SECRET, new ReplayGuard(dynamo, table, clock), clock))));
    }

    APIGatewayV2HTTPResponse post(APIGatewayV2HTTPEvent request) {
        return function.handleRequest(request, null);
    }

    static APIGatewayV2HTTPEvent request(String routeKey, Map<String, String> headers, String body) {
        return APIGatewayV2HTTPEvent.builder().withRouteKey(routeKey).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false).build();
    }

    static APIGatewayV2HTTPEvent base64(String routeKey, Map<String, String> headers, byte[] body) {
        return APIGatewayV2HTTPEvent.builder().withRouteKey(routeKey).withHeaders(headers)
                .withBody(Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(true).build();
    }

    static Map<String, String> json() {
        return Map.of("content-type", "application/json");
    }

    static Map<String, String> structured() {
        return Map.of("content-type", "application/cloudevents+json");
    }

    /** Headers of a webhook delivery signed now (at {@code t}) with {@code secret}. */
    static Map<String, String> signed(String body, long t, String secret) {
        Map<String, String> headers = new LinkedHashMap<>(json());
        headers.put("x-relay-signature", "t=" + t + ",v1="
                + WebhookSignature.sign(secret, t, body.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    static JsonNode body(APIGatewayV2HTTPResponse response) {
        try {
            return Json.MAPPER.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
