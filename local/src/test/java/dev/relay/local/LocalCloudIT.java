package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.relay.embedded.LocalPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** The repository's template on the local cloud, driven through the AWS SDK as a user would. */
class LocalCloudIT {

    private static LocalCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        int edge = LocalPorts.free();
        cloud = LocalCloud.start(LocalCloudOptions.defaults(Path.of("..", "template.yaml")).withPorts(edge, 0)
                .withParameterOverrides(Map.of("OpenAiBaseUrl", "http://127.0.0.1:" + edge + "/v1"))
                .withParameters(Map.of("/relay/openai-api-key", "sk-local-test")));
        System.out.println("local cloud ready in " + cloud.startup().toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void queuesFromTheTemplateExistWithTheirAttributesAndRedrivePolicy() {
        try (SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl())) {
            String url = sqs.getQueueUrl(b -> b.queueName("relay-ops-queue")).queueUrl();
            assertThat(url).isEqualTo(cloud.edgeUrl() + "/000000000000/relay-ops-queue");
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attributes).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "360");
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                    .contains("arn:aws:sqs:us-east-1:000000000000:relay-ops-dlq").contains("5");
        }
    }

    @Test
    void messagesTravelThroughTheEdge() {
        try (SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl())) {
            String url = sqs.createQueue(b -> b.queueName("edge-roundtrip")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"hello\":\"edge\"}"));
            Message received = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages().getFirst();
            assertThat(received.body()).isEqualTo("{\"hello\":\"edge\"}");
        }
    }

    @Test
    void snsFansOutToSubscribedQueuesThroughTheFilterPolicy() {
        try (SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
             SnsClient sns = Clients.of(SnsClient.builder(), cloud.edgeUrl())) {
            String topic = sns.listTopics().topics().stream().map(Topic::topicArn)
                    .filter(arn -> arn.endsWith(":relay-events")).findFirst().orElseThrow();
            String url = sqs.createQueue(b -> b.queueName("signups-only")).queueUrl();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:signups-only")
                    .attributes(Map.of("RawMessageDelivery", "true",
                            "FilterPolicy", "{\"type\":[\"customer.signup\"]}")));
            sns.publish(b -> b.topicArn(topic).message("{\"n\":1}").messageAttributes(Map.of("type",
                    MessageAttributeValue.builder().dataType("String").stringValue("order.placed").build())));
            sns.publish(b -> b.topicArn(topic).message("{\"n\":2}").messageAttributes(Map.of("type",
                    MessageAttributeValue.builder().dataType("String").stringValue("customer.signup").build())));
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)
                    .maxNumberOfMessages(10).messageAttributeNames("All")).messages();
            assertThat(received).extracting(Message::body).containsExactly("{\"n\":2}");
            assertThat(received.getFirst().messageAttributes().get("type").stringValue()).isEqualTo("customer.signup");
        }
    }

    @Test
    void aPublishedDeployEventRunsTheOpsFunctionWhoseFollowUpComesBackThroughTheTopic() throws Exception {
        try (SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
             SnsClient sns = Clients.of(SnsClient.builder(), cloud.edgeUrl())) {
            String topic = "arn:aws:sns:us-east-1:000000000000:relay-events";
            String url = sqs.createQueue(b -> b.queueName("verified-watch")).queueUrl();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                    .endpoint("arn:aws:sqs:us-east-1:000000000000:verified-watch")
                    .attributes(Map.of("RawMessageDelivery", "true",
                            "FilterPolicy", "{\"type\":[\"deploy.verified\"]}")));
            String sample = Files.readString(Path.of("..", "events", "messages", "deploy-completed.json"));
            sns.publish(b -> b.topicArn(topic).message(sample)
                    .messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String")
                            .stringValue("deploy.completed").build())));
            List<Message> verified = List.of();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (verified.isEmpty() && System.nanoTime() < deadline) {
                verified = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages();
            }
            assertThat(verified).hasSize(1);
            assertThat(verified.getFirst().body()).contains("\"type\":\"deploy.verified\"")
                    .contains("\"source\":\"urn:relay:ops-agents\"");
            // The follow-up is published during the invocation; the batch is deleted once the function returns.
            String opsQueue = sqs.getQueueUrl(b -> b.queueName("relay-ops-queue")).queueUrl();
            java.util.Collection<String> counts = List.of();
            for (int attempt = 0; attempt < 50 && !counts.equals(List.of("0", "0")); attempt++) {
                Thread.sleep(100);
                counts = List.copyOf(sqs.getQueueAttributes(b -> b.queueUrl(opsQueue)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes().values());
            }
            assertThat(counts).as("the handled message was deleted").containsOnly("0");
        }
        // The decision is in the audit table the template declares, chained under the event's correlation id.
        try (DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl())) {
            List<Map<String, AttributeValue>> records = dynamo.scan(b -> b.tableName("relay-audit")).items();
            assertThat(records).extracting(r -> r.get("kind").s())
                    .containsExactlyInAnyOrder("received", "llm_call", "decision", "emitted");
            assertThat(records).extracting(r -> r.get("agent_id").s()).containsOnly("deploy-verifier");
            assertThat(dynamo.scan(b -> b.tableName("relay-idempotency")).items()).hasSize(1);
        }
    }

    @Test
    void anEventNoOpsAgentHandlesGoesToTheDeadLetterQueueOnItsFirstReceive() {
        try (SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl())) {
            String opsQueue = sqs.getQueueUrl(b -> b.queueName("relay-ops-queue")).queueUrl();
            String dlq = sqs.getQueueUrl(b -> b.queueName("relay-ops-dlq")).queueUrl();
            String body = "{\"event_type\":\"nobody.handles\",\"payload\":{\"n\":1}}";
            var type = software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder() // SNS's is imported
                    .dataType("String").stringValue("nobody.handles").build();
            sqs.sendMessage(b -> b.queueUrl(opsQueue).messageBody(body).messageAttributes(Map.of("type", type)));

            List<Message> dead = List.of();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                dead = sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2).messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                        .messages().stream().filter(m -> m.body().equals(body)).toList();
            }

            assertThat(dead).as("dead-lettered by the function, not by the redrive policy").singleElement()
                    .satisfies(message -> {
                        assertThat(message.messageAttributes()).containsEntry("type", type);
                        assertThat(message.messageAttributes().get("relay-error-type").stringValue())
                                .isEqualTo("UnroutedEventException");
                        assertThat(message.messageAttributes().get("relay-source-queue").stringValue())
                                .isEqualTo("arn:aws:sqs:us-east-1:000000000000:relay-ops-queue");
                        assertThat(message.messageAttributes().get("relay-receive-count").stringValue()).isEqualTo("1");
                    });
        }
    }

    @Test
    void dynamoDbAnswersOnTheEdge() {
        try (DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl())) {
            dynamo.createTable(b -> b.tableName("edge-table").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
            dynamo.putItem(b -> b.tableName("edge-table").item(Map.of("pk", AttributeValue.fromS("a"))));
            assertThat(dynamo.scan(b -> b.tableName("edge-table")).items())
                    .containsExactly(Map.of("pk", AttributeValue.fromS("a")));
        }
    }

    @Test
    void secretsAreServedFromTheLocalParameterStore() {
        try (SsmClient ssm = Clients.of(SsmClient.builder(), cloud.edgeUrl())) {
            assertThat(ssm.getParameter(b -> b.name("/relay/openai-api-key").withDecryption(true)).parameter()
                    .value()).isEqualTo("sk-local-test");
            assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/nope")))
                    .isInstanceOf(ParameterNotFoundException.class).hasMessageContaining("Parameter /nope not found");
        }
    }

    @Test
    void theOfflineModelAnswersUnderV1AndTheIndexListsResources() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(cloud.edgeUrl() + "/v1/models"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(models.statusCode()).isEqualTo(200);
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(cloud.edgeUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.body()).contains("\"logicalId\":\"OpsQueue\"").contains("\"type\":\"AWS::KMS::Key\"");
    }

    @Test
    void aRequestNoServiceClaimsGetsAClearError() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cloud.edgeUrl() + "/nothing")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("cannot tell which service POST /nothing is for");
    }
}
