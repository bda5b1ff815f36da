package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.embedded.LocalPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Pattern 2 on the repository's template: one customer.signup fans out through SNS to four queues and four function
 * JVMs, their completions reach the coordinator, and onboarding.complete comes back on the topic — or, when one agent
 * fails for good, its message sits in its DLQ, the others finish, and the signup is reported stuck.
 */
class OnboardingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:relay-events";

    private static LocalCloud cloud;
    private static SqsClient sqs;
    private static SnsClient sns;
    private static String observer;

    @BeforeAll
    static void start() throws Exception {
        int edge = LocalPorts.free();
        cloud = LocalCloud.start(LocalCloudOptions.defaults(Path.of("..", "template.yaml")).withPorts(edge, LocalPorts.free())
                .withParameterOverrides(Map.of("OpenAiBaseUrl", "http://127.0.0.1:" + edge + "/v1",
                        "OnboardingDeadlineSeconds", "6"))
                .withParameters(Map.of("/relay/openai-api-key", "sk-local-test")));
        sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
        sns = Clients.of(SnsClient.builder(), cloud.edgeUrl());
        observer = sqs.createQueue(b -> b.queueName("onboarding-watch")).queueUrl();
        sns.subscribe(b -> b.topicArn(TOPIC).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:onboarding-watch")
                .attributes(Map.of("RawMessageDelivery", "true")));
    }

    @AfterAll
    static void stop() {
        sqs.close();
        sns.close();
        cloud.close();
    }

    @Test
    void oneSignupReachesAllFourAgentsAndCompletesOnce() throws Exception {
        String signup = Files.readString(Path.of("..", "events", "messages", "customer-signup.json"))
                .replace("\"event_type\"", "\"event_id\": \"signup-ok-1\", \"event_type\"");
        publish(signup);

        List<JsonNode> flow = await("signup-ok-1", seen -> seen.contains("onboarding.complete"));

        assertThat(types(flow)).contains("welcome.email.sent", "workspace.provisioned", "crm.contact.created",
                "onboarding.complete");
        assertThat(types(flow).stream().filter("onboarding.complete"::equals)).hasSize(1);
        try (DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl())) {
            assertThat(rows(dynamo, "relay-workspaces")).anySatisfy(w -> assertThat(w.get("signup_id").s()).isEqualTo("signup-ok-1"));
            assertThat(rows(dynamo, "relay-crm-contacts")).anySatisfy(c -> assertThat(c.get("email").s()).isEqualTo("ada@lovelace.example"));
            List<Map<String, AttributeValue>> audit = dynamo.query(b -> b.tableName("relay-audit")
                    .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "stream"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("signup-ok-1")))).items();
            assertThat(audit).filteredOn(r -> r.get("kind").s().equals("decision")).extracting(r -> r.get("agent_id").s())
                    .contains("welcome-email", "provisioning", "crm", "onboarding-coordinator");
        }
        // the audit API, over the local HTTP API port, verifies the whole onboarding's chain
        HttpResponse<String> verify = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cloud.httpApiUrl().orElseThrow() + "/audit/streams/signup-ok-1/verify")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(verify.body()).get("intact").asBoolean()).as(verify.body()).isTrue();
    }

    @Test
    void aPermanentlyFailingAgentLeavesItsMessageInItsDlqWhileTheOthersFinishAndTheSignupIsReportedStuck() throws Exception {
        publish("""
                {"event_id": "signup-platinum-1", "event_type": "customer.signup",
                 "payload": {"user_id": "user_7", "email": "grace@hopper.example", "name": "Grace Hopper",
                             "company": "Navy", "plan": "platinum"}}""");

        List<JsonNode> flow = await("signup-platinum-1", seen -> seen.contains("onboarding.stuck"));

        assertThat(types(flow)).contains("welcome.email.sent", "crm.contact.created", "sales.notified", "onboarding.stuck")
                .doesNotContain("workspace.provisioned", "onboarding.complete");
        JsonNode stuck = flow.stream().filter(e -> e.get("type").asText().equals("onboarding.stuck")).findFirst().orElseThrow();
        assertThat(stuck.at("/data/missing_steps/0").asText()).isEqualTo("provisioning");
        String dlq = sqs.getQueueUrl(b -> b.queueName("relay-provisioning-dlq")).queueUrl();
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2).messageAttributeNames("All")).messages();
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.body()).contains("signup-platinum-1");
            assertThat(m.messageAttributes().get("relay-error-reason").stringValue()).contains("data.plan");
            assertThat(m.messageAttributes().get("relay-receive-count").stringValue()).isEqualTo("1");
        });
    }

    private static void publish(String body) {
        sns.publish(b -> b.topicArn(TOPIC).message(body).messageAttributes(Map.of("type",
                MessageAttributeValue.builder().dataType("String").stringValue("customer.signup").build())));
    }

    /** The events of one flow seen on the topic, until {@code done} holds for their types (or 90 s pass). */
    private static List<JsonNode> await(String flow, Predicate<Set<String>> done) throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!done.test(Set.copyOf(types(seen))) && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(observer).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                JsonNode event = JSON.readTree(message.body());
                if (flow.equals(event.path("correlationid").asText()) && event.has("causationid")) {
                    seen.add(event);
                }
                if (!flow.equals(event.path("correlationid").asText())) {
                    continue; // the other test's flow: left for it
                }
                sqs.deleteMessage(b -> b.queueUrl(observer).receiptHandle(message.receiptHandle()));
            }
        }
        return seen;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    private static List<Map<String, AttributeValue>> rows(DynamoDbClient dynamo, String table) {
        return dynamo.scan(b -> b.tableName(table)).items();
    }
}
