package dev.relay.core.audit;

import dev.relay.embedded.DynamoDbLocalService;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One embedded DynamoDB Local for the test JVM, and fresh audit tables shaped as template.yaml declares them
 * (AuditTable: stream/seq with the by-agent and by-event indexes; IdempotencyTable: id).
 */
public final class LocalDynamo {

    private static DynamoDbLocalService service;

    private LocalDynamo() {}

    public static synchronized DynamoDbClient client(ExecutionInterceptor... interceptors) {
        if (service == null) {
            service = DynamoDbLocalService.start(Optional.empty());
            Runtime.getRuntime().addShutdownHook(new Thread(service::close));
        }
        return DynamoDbClient.builder()
                .endpointOverride(service.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor interceptor : interceptors) {
                        c.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    /** New, empty audit and idempotency tables; returns the table over them. */
    @SuppressWarnings("unchecked") // the SDK builders take varargs of Consumer<Builder>
    public static AuditTable freshTables(DynamoDbClient dynamo) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String audit = "audit-" + suffix;
        String idempotency = "idempotency-" + suffix;
        dynamo.createTable(b -> b.tableName(audit).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("stream").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("seq").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("agent_id").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("at").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("event_id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("stream").keyType(KeyType.HASH),
                        k -> k.attributeName("seq").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(
                        g -> g.indexName(AuditTable.BY_AGENT)
                                .keySchema(k -> k.attributeName("agent_id").keyType(KeyType.HASH),
                                        k -> k.attributeName("at").keyType(KeyType.RANGE))
                                .projection(p -> p.projectionType(ProjectionType.ALL)),
                        g -> g.indexName(AuditTable.BY_EVENT)
                                .keySchema(k -> k.attributeName("event_id").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamo.createTable(b -> b.tableName(idempotency).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        return new AuditTable(dynamo, audit, idempotency);
    }
}
