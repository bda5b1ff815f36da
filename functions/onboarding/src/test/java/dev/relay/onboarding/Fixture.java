package dev.relay.onboarding;

import dev.relay.core.agent.Agent;
import dev.relay.core.agent.Router;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.LocalDynamo;
import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.retry.Backoff;
import dev.relay.core.worker.AgentPipeline;
import dev.relay.offline.OfflineModelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The onboarding agents over real parts: tables on DynamoDB Local shaped as template.yaml declares them, the audit
 * trail, the real model client against the offline model, and a publisher that keeps what was published.
 */
final class Fixture implements AutoCloseable {

    static final Path EVENTS = Path.of("../../events").toAbsolutePath().normalize();

    final DynamoDbClient dynamo = LocalDynamo.client();
    final DynamoDbOnboarding.Tables tables;
    final DynamoDbOnboarding store;
    final AuditTrail trail = new AuditTrail(LocalDynamo.freshTables(dynamo));
    final List<Envelope> published = new CopyOnWriteArrayList<>();
    final OfflineModelServer model = OfflineModelServer.start(0);
    final LlmGateway gateway = new LlmGateway(LlmSettings.of("gpt-4o-mini", model.baseUrl(), Duration.ofSeconds(5), 2,
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1))));

    Fixture() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tables = new DynamoDbOnboarding.Tables(table("outbox-" + suffix, "message_id"),
                table("workspaces-" + suffix, "workspace_id"), table("contacts-" + suffix, "email"),
                table("progress-" + suffix, "flow"));
        store = new DynamoDbOnboarding(dynamo, tables);
    }

    AgentPipeline pipeline(Agent agent) {
        return new AgentPipeline(new Router(List.of(agent), gateway, OnboardingFunction.SOURCE), trail, published::addAll);
    }

    List<Envelope> published(String type) {
        return published.stream().filter(e -> e.type().equals(type)).toList();
    }

    List<Map<String, AttributeValue>> rows(String table) {
        return dynamo.scan(b -> b.tableName(table).consistentRead(true)).items();
    }

    static Envelope signup() {
        try {
            return Envelope.parse(Files.readString(EVENTS.resolve("messages/customer-signup.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String table(String name, String key) {
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(key).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(key).keyType(KeyType.HASH)));
        return name;
    }

    @Override
    public void close() {
        gateway.close();
        model.close();
    }
}
