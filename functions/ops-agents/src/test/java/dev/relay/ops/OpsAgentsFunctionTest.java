package dev.relay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.relay.core.agent.Router;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.observe.EventMetrics;
import dev.relay.core.retry.Backoff;
import dev.relay.core.worker.QueueWorker;
import dev.relay.core.worker.Redelivery;
import dev.relay.core.worker.RoutingProcessor;
import dev.relay.offline.OfflineModelServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler on the repository's sample events, with the real model client against the offline model. */
class OpsAgentsFunctionTest {

    private static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    /** The follow-ups the function hands to its publisher: a port implementation, not a mock of SNS. */
    private final List<Envelope> published = new ArrayList<>();
    private OfflineModelServer model;
    private LlmGateway gateway;
    private OpsAgentsFunction function;

    @BeforeEach
    void start() {
        model = OfflineModelServer.start(0);
        gateway = new LlmGateway(LlmSettings.of("gpt-4o-mini", model.baseUrl(), Duration.ofSeconds(5), 2,
                new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1))));
        EventPublisher publisher = published::addAll;
        Router router = new Router(OpsAgentsFunction.agents(), gateway, OpsAgentsFunction.SOURCE);
        function = new OpsAgentsFunction(new QueueWorker(new RoutingProcessor(router, publisher),
                Redelivery.visibilityTimeoutOnly(), new EventMetrics()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        model.close();
    }

    @Test
    void succeededDeployIsVerifiedAndFollowUpCarriesTheFlowsIds() throws IOException {
        SQSEvent event = sample("ops-agents-deploy-succeeded.json");
        Envelope trigger = Envelope.parse(event.getRecords().get(0).getBody());

        SQSBatchResponse response = function.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).singleElement().satisfies(followUp -> {
            assertThat(followUp.type()).isEqualTo("deploy.verified");
            assertThat(followUp.causationId()).isEqualTo(trigger.id());
            assertThat(followUp.correlationId()).isEqualTo(trigger.correlationId());
            assertThat(followUp.source()).isEqualTo(OpsAgentsFunction.SOURCE);
            assertThat(followUp.data().get("service").asText()).isEqualTo("checkout-api");
            assertThat(followUp.data().at("/verification/verdict").asText()).isIn("PASS", "FAIL");
            assertThat(followUp.data().at("/verification/smokeTests").isArray()).isTrue();
        });
        assertThat(model.chatCompletionCount()).isEqualTo(1);
    }

    @Test
    void failedDeployGetsRemediationSuggested() throws IOException {
        SQSBatchResponse response = function.handleRequest(sample("ops-agents-deploy-failed.json"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).singleElement().satisfies(followUp -> {
            assertThat(followUp.type()).isEqualTo("deploy.remediation.suggested");
            assertThat(followUp.data().at("/remediation/fixes").isArray()).isTrue();
        });
        assertThat(model.requests().get(0).toString()).contains("HikariPool-1");
    }

    @Test
    void poisonMessagesFailAloneAndTheRestOfTheBatchSucceeds() throws IOException {
        SQSEvent good = sample("ops-agents-deploy-succeeded.json");
        SQSEvent.SQSMessage valid = good.getRecords().get(0);
        SQSEvent.SQSMessage notJson = message("m-not-json", "this is not json");
        SQSEvent.SQSMessage unknownType = message("m-unknown", "{\"event_type\":\"pizza.ordered\",\"payload\":{}}");
        SQSEvent.SQSMessage badPayload = message("m-bad-status",
                "{\"event_type\":\"deploy.completed\",\"payload\":{\"service\":\"api\",\"status\":\"exploded\"}}");
        SQSEvent batch = new SQSEvent();
        batch.setRecords(List.of(notJson, valid, unknownType, badPayload));

        SQSBatchResponse response = function.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-not-json", "m-unknown", "m-bad-status");
        assertThat(published).extracting(Envelope::type).containsExactly("deploy.verified");
    }

    @Test
    void everyMessageSampleIsAValidEvent() throws IOException {
        try (Stream<Path> files = Files.list(EVENTS.resolve("messages"))) {
            List<Path> samples = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(samples).isNotEmpty();
            for (Path sample : samples) {
                Envelope event = Envelope.parse(Files.readString(sample));
                String expectedName = event.type().replace('.', '-');
                assertThat(sample.getFileName().toString()).as("sample named by its type").startsWith(expectedName.split("-")[0]);
            }
        }
    }

    private static SQSEvent sample(String name) throws IOException {
        try (InputStream in = Files.newInputStream(EVENTS.resolve("lambda").resolve(name))) {
            return LambdaEventSerializers.serializerFor(SQSEvent.class, OpsAgentsFunctionTest.class.getClassLoader())
                    .fromJson(in);
        }
    }

    private static SQSEvent.SQSMessage message(String id, String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setMessageAttributes(Map.of());
        return message;
    }
}
