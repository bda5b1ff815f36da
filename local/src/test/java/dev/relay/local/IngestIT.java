package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.embedded.LocalPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The ingest API as producers use it: HTTP to the template's routes on the local cloud, IngestFunction in its own JVM,
 * the local SNS, and an observer queue subscribed to the topic (raw delivery, no filter) that shows what was published.
 * The webhook secret is the one the template generates, read from the local Secrets Manager as a sender would.
 */
class IngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:relay-events";
    private static LocalCloud cloud;
    private static SqsClient sqs;
    private static String observer;
    private static String webhookSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        int edge = LocalPorts.free();
        cloud = LocalCloud.start(LocalCloudOptions.defaults(Path.of("..", "template.yaml")).withPorts(edge, 0)
                .withParameterOverrides(Map.of("OpenAiBaseUrl", "http://127.0.0.1:" + edge + "/v1"))
                .withParameters(Map.of("/relay/openai-api-key", "sk-local-test")));
        sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
        observer = sqs.createQueue(b -> b.queueName("ingest-observer")).queueUrl();
        try (SnsClient sns = Clients.of(SnsClient.builder(), cloud.edgeUrl());
             SecretsManagerClient secrets = Clients.of(SecretsManagerClient.builder(), cloud.edgeUrl())) {
            sns.subscribe(b -> b.topicArn(TOPIC).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:ingest-observer")
                    .attributes(Map.of("RawMessageDelivery", "true")));
            webhookSecret = secrets.getSecretValue(b -> b.secretId("relay/webhook-secret")).secretString();
        }
    }

    @AfterAll
    static void stop() {
        sqs.close();
        cloud.close();
    }

    @BeforeEach
    void nothingLeftOver() {
        sqs.purgeQueue(b -> b.queueUrl(observer));
    }

    @Test
    void eachFormPublishesExactlyTheExpectedMessage() throws Exception {
        HttpResponse<String> structured = post("/events", Map.of("Content-Type", "application/cloudevents+json"), """
                {"specversion":"1.0","id":"it-order-1","source":"urn:shop","type":"order.placed",
                 "correlationid":"checkout-9","data":{"order_id":"1001"}}""");
        HttpResponse<String> binary = post("/events", Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-id", "it-signup-1", "ce-source", "urn:crm", "ce-type", "customer.signup"), "{\"user_id\":\"u1\"}");
        HttpResponse<String> simple = post("/events", Map.of("Content-Type", "application/json"),
                "{\"event_type\":\"invoice.sent\",\"event_id\":\"it-invoice-1\",\"payload\":{\"invoice\":\"F-1\"}}");
        HttpResponse<String> batch = post("/events:batch", Map.of("Content-Type", "application/json"), """
                [{"event_type":"invoice.paid","event_id":"it-paid-1","payload":{}},
                 {"specversion":"1.0","id":"it-paid-2","source":"urn:billing","type":"invoice.paid","data":{}}]""");
        String hookBody = "{\"event_type\":\"email.bounced\",\"event_id\":\"it-hook-1\",\"payload\":{\"to\":\"a@b.example\"}}";
        HttpResponse<String> webhook = post("/webhooks/events", signed(hookBody), hookBody);

        for (HttpResponse<String> response : List.of(structured, binary, simple, webhook)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        assertThat(JSON.readTree(structured.body())).isEqualTo(JSON.readTree(
                "{\"event_id\":\"it-order-1\",\"status\":\"accepted\",\"correlation_id\":\"checkout-9\"}"));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
        assertThat(JSON.readTree(batch.body()).get("accepted").asInt()).isEqualTo(2);

        Map<String, Message> published = byId(receive(6));
        assertThat(published).containsOnlyKeys("it-order-1", "it-signup-1", "it-invoice-1", "it-paid-1", "it-paid-2",
                "it-hook-1");
        Message order = published.get("it-order-1");
        assertThat(order.messageAttributes().get("type").stringValue()).isEqualTo("order.placed");
        assertThat(order.messageAttributes().get("correlationid").stringValue()).isEqualTo("checkout-9");
        JsonNode orderBody = JSON.readTree(order.body());
        assertThat(orderBody.get("specversion").asText()).isEqualTo("1.0");
        assertThat(orderBody.get("data")).isEqualTo(JSON.readTree("{\"order_id\":\"1001\"}"));
        assertThat(JSON.readTree(published.get("it-signup-1").body()).get("source").asText()).isEqualTo("urn:crm");
        assertThat(JSON.readTree(published.get("it-invoice-1").body()).get("data"))
                .isEqualTo(JSON.readTree("{\"invoice\":\"F-1\"}"));
        assertThat(published.get("it-hook-1").messageAttributes().get("type").stringValue()).isEqualTo("email.bounced");
    }

    @Test
    void theSameIdTwiceIsOneMessageAndTheSameAnswer() throws Exception {
        String event = "{\"event_type\":\"invoice.sent\",\"event_id\":\"it-twice\",\"payload\":{\"n\":1}}";

        HttpResponse<String> first = post("/events", Map.of("Content-Type", "application/json"), event);
        HttpResponse<String> second = post("/events", Map.of("Content-Type", "application/json"), event);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(receive(1)).extracting(m -> m.messageAttributes().get("id").stringValue()).containsExactly("it-twice");
        assertThat(receive(0)).as("no second message").isEmpty();
    }

    @Test
    void badRequestsOverHttpAreProblemDetailsAndPublishNothing() throws Exception {
        String good = "{\"event_type\":\"invoice.sent\",\"payload\":{}}";
        record Expect(HttpResponse<String> response, int status, String field) {
        }
        List<Expect> answers = new ArrayList<>();
        answers.add(new Expect(post("/events", Map.of("Content-Type", "application/json"), "{\"event_type\":"), 400, "$"));
        answers.add(new Expect(post("/events", Map.of("Content-Type", "text/plain"), good), 415, "content-type"));
        answers.add(new Expect(post("/events", Map.of("Content-Type", "application/json"),
                new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'}), 400, "$"));
        answers.add(new Expect(post("/events", Map.of("Content-Type", "application/json"),
                "{\"event_type\":\"invoice.sent\",\"payload\":{\"x\":\"" + "y".repeat(270_000) + "\"}}"), 413, "$"));
        answers.add(new Expect(post("/events:batch", Map.of("Content-Type", "application/json"),
                "[" + String.join(",", java.util.Collections.nCopies(11, good)) + "]"), 400, "$"));
        Map<String, String> wrong = Map.of("Content-Type", "application/json",
                "X-Relay-Signature", "t=" + Instant.now().getEpochSecond() + ",v1=" + "0".repeat(64));
        answers.add(new Expect(post("/webhooks/events", wrong, good), 401, "X-Relay-Signature"));
        String invalid = "{\"event_type\":\"invoice.sent\",\"payload\":[]}";
        Map<String, String> once = signed(invalid);
        answers.add(new Expect(post("/webhooks/events", once, invalid), 400, "payload"));
        answers.add(new Expect(post("/webhooks/events", once, invalid), 403, "X-Relay-Signature"));

        for (Expect expect : answers) {
            assertThat(expect.response().statusCode()).as(expect.response().body()).isEqualTo(expect.status());
            assertThat(expect.response().headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(expect.response().body()).get("field").asText()).isEqualTo(expect.field());
        }
        assertThat(receive(0)).as("nothing published").isEmpty();
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        return post(path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cloud.httpApiUrl().orElseThrow() + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signed now with the template's generated secret, as a webhook sender does it. */
    private static Map<String, String> signed(String body) throws Exception {
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Relay-Signature", "t=" + t + ",v1=" + v1);
        return headers;
    }

    /** Waits for {@code expected} messages on the observer queue, then a moment more for any extra. */
    private static List<Message> receive(int expected) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(expected == 0 ? 2 : 20);
        while (System.nanoTime() < deadline && (expected == 0 || messages.size() < expected)) {
            messages.addAll(sqs.receiveMessage(b -> b.queueUrl(observer).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages());
        }
        messages.addAll(sqs.receiveMessage(b -> b.queueUrl(observer).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All")).messages());
        for (Message message : messages) {
            sqs.deleteMessage(b -> b.queueUrl(observer).receiptHandle(message.receiptHandle()));
        }
        return messages;
    }

    private static Map<String, Message> byId(List<Message> messages) {
        Map<String, Message> byId = new LinkedHashMap<>();
        messages.forEach(m -> byId.put(m.messageAttributes().get("id").stringValue(), m));
        assertThat(byId).as("one message per id").hasSize(messages.size());
        return byId;
    }
}
