package dev.relay.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import dev.relay.core.audit.AuditEntry;
import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.LocalDynamo;
import dev.relay.core.audit.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler on the repository's sample events and built requests, against the audit trail on DynamoDB Local. */
class AuditFunctionTest {

    private static final Path EVENTS = Path.of("../../events/lambda").toAbsolutePath().normalize();
    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    /** The event id the sample asks the chain of. */
    private static final String SAMPLE_EVENT = "9a0e4f33-2e7e-3d6d-8a2d-952d4239386c";

    private final AuditTable table = LocalDynamo.freshTables(LocalDynamo.client());
    private final AuditFunction function = new AuditFunction(new AuditApi(new AuditTrail(table),
            Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC)));

    @BeforeEach
    void aDecision() {
        table.append(List.of(
                entry("rcv-1", "loan.application.received", RecordKind.RECEIVED, T0, "evt_001"),
                entry("llm-1", "credit.analyzed", RecordKind.LLM_CALL, T0.plusSeconds(1), "rcv-1"),
                entry("dec-1", "application.approved", RecordKind.DECISION, T0.plusSeconds(2), "llm-1"),
                entry(SAMPLE_EVENT, "loan.approved", RecordKind.EMITTED, T0.plusSeconds(3), "dec-1")), Optional.empty());
    }

    private static AuditEntry entry(String id, String type, RecordKind kind, Instant at, String cause) {
        return new AuditEntry(id, type, kind, "loan-reviewer", at, Json.object().put("step", type), cause, "evt_001");
    }

    @Test
    void theChainSampleReturnsTheCausalChainRootFirst() throws IOException {
        APIGatewayV2HTTPResponse response = function.handleRequest(sample("audit-causal-chain.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode chain = Json.MAPPER.readTree(response.getBody());
        assertThat(chain.findValuesAsText("event_type"))
                .containsExactly("loan.application.received", "credit.analyzed", "application.approved", "loan.approved");
        assertThat(chain.get(0).get("checksum").asText()).hasSize(64);
    }

    @Test
    void theVerifySampleReportsEveryStreamIntact() throws IOException {
        APIGatewayV2HTTPResponse response = function.handleRequest(sample("audit-verify.json"), null);

        JsonNode body = Json.MAPPER.readTree(response.getBody());
        assertThat(body.get("intact").asBoolean()).isTrue();
        assertThat(body.at("/results/0/stream").asText()).isEqualTo("evt_001");
        assertThat(body.at("/results/0/records").asInt()).isEqualTo(4);
    }

    @Test
    void historyReplayAndStreamAnswer() throws IOException {
        JsonNode history = body(request("GET /audit/agents/{agentId}/history", Map.of("agentId", "loan-reviewer"),
                Map.of("from", "2026-11-21T09:00:01Z")));
        assertThat(history.findValuesAsText("event_type")).containsExactly("credit.analyzed", "application.approved", "loan.approved");

        JsonNode replay = body(request("GET /audit/streams/{correlationId}/replay", Map.of("correlationId", "evt_001"),
                Map.of("to", "2026-11-21T09:00:01Z")));
        assertThat(replay.at("/agents/loan-reviewer/llm_calls").asInt()).isEqualTo(1);
        assertThat(replay.at("/agents/loan-reviewer/decisions").size()).isZero();

        JsonNode stream = body(request("GET /audit/streams/{correlationId}", Map.of("correlationId", "evt_001"), Map.of()));
        assertThat(stream.findValuesAsText("seq")).containsExactly("1", "2", "3", "4");
    }

    @Test
    void badParametersAndUnknownIdsAreProblemDetails() throws IOException {
        APIGatewayV2HTTPResponse missingTo = function.handleRequest(request("GET /audit/replay", Map.of(), Map.of()), null);
        assertThat(missingTo.getStatusCode()).isEqualTo(400);
        assertThat(missingTo.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(Json.MAPPER.readTree(missingTo.getBody()).get("parameter").asText()).isEqualTo("to");

        APIGatewayV2HTTPResponse badLimit = function.handleRequest(request("GET /audit/agents/{agentId}/history",
                Map.of("agentId", "x"), Map.of("limit", "lots")), null);
        assertThat(badLimit.getStatusCode()).isEqualTo(400);
        assertThat(badLimit.getBody()).contains("limit");

        APIGatewayV2HTTPResponse unknown = function.handleRequest(request("GET /audit/events/{eventId}/chain",
                Map.of("eventId", "nope"), Map.of()), null);
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getBody()).contains("nope");
    }

    private JsonNode body(APIGatewayV2HTTPEvent request) throws IOException {
        APIGatewayV2HTTPResponse response = function.handleRequest(request, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return Json.MAPPER.readTree(response.getBody());
    }

    private static APIGatewayV2HTTPEvent request(String routeKey, Map<String, String> path, Map<String, String> query) {
        return APIGatewayV2HTTPEvent.builder().withRouteKey(routeKey).withPathParameters(path)
                .withQueryStringParameters(query).build();
    }

    private static APIGatewayV2HTTPEvent sample(String name) throws IOException {
        try (InputStream in = Files.newInputStream(EVENTS.resolve(name))) {
            return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, AuditFunctionTest.class.getClassLoader())
                    .fromJson(in);
        }
    }
}
