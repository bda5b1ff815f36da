package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.AwsService;
import dev.relay.local.edge.EdgeRouter;
import dev.relay.local.edge.EdgeServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The query protocol as bytes on the wire, and the real AWS CLI against the endpoint when it is installed. */
class SnsWireProtocolTest {

    static LocalSns local;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        local = new LocalSns();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    static HttpResponse<String> post(String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(local.edge.baseUrl() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createTopicAnswersInTheSnsNamespace() throws Exception {
        HttpResponse<String> response = post("Action=CreateTopic&Version=2010-03-31&Name=wire-topic");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("<CreateTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:000000000000:wire-topic</TopicArn>"
                + "</CreateTopicResult><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata>"
                + "</CreateTopicResponse>");
    }

    @Test
    void sdkRequestsAndUnsubscribeUrlsAreRecognisedForRouting() {
        List<Boolean> recognised = new CopyOnWriteArrayList<>();
        SnsEndpoint endpoint = new SnsEndpoint(local.service);
        try (var edge = EdgeServer.start(new InetSocketAddress("127.0.0.1", 0), request -> {
            recognised.add(EdgeRouter.classify(request).equals(Optional.of(AwsService.SNS)));
            return endpoint.handle(request);
        }); var client = SnsClient.builder()
                .endpointOverride(URI.create(edge.baseUrl())).region(Region.US_EAST_1)
                .credentialsProvider(() -> AwsBasicCredentials.create("k", "s"))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            client.listTopics();
        }
        assertThat(recognised).containsExactly(true);
        assertThat(EdgeRouter.classify(new EdgeRequest("GET", "/",
                "Action=Unsubscribe&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A0%3At%3Aid", Map.of(), null)))
                .contains(AwsService.SNS);
        assertThat(EdgeRouter.classify(new EdgeRequest("POST", "/", "",
                Map.of("X-Amz-Target", List.of("AmazonSQS.SendMessage")), null))).contains(AwsService.SQS);
    }

    @Test
    void anUnknownActionIsInvalidActionNamingIt() throws Exception {
        HttpResponse<String> response = post("Action=CreatePlatformApplication&Version=2010-03-31");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/xml");
        assertThat(response.body()).matches("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                + "<Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The action CreatePlatformApplication "
                + "is not valid for this endpoint[^<]*</Message></Error><RequestId>[0-9a-f-]{36}</RequestId>"
                + "</ErrorResponse>");
    }

    @Test
    void notFoundIs404() throws Exception {
        HttpResponse<String> response = post("Action=GetTopicAttributes&Version=2010-03-31&TopicArn="
                + "arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Amissing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("<Code>NotFound</Code>").contains("<Type>Sender</Type>");
    }

    @Test
    void formBodiesMustBeUtf8AndWellEncoded() throws Exception {
        assertThat(post("Action=CreateTopic&Name=%FF%FE")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("<Code>MalformedQueryString</Code>").contains("UTF-8");
        });
        assertThat(post("Action=CreateTopic&Name=abc%2")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("percent-encoding");
        });
    }

    @Test
    void awsJsonRequestsAreRefusedClearly() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(local.edge.baseUrl() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSimpleNotificationService.ListTopics")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("query protocol");
    }

    @Test
    void theUnsubscribeUrlOfANotificationUnsubscribes() throws Exception {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("unsubscribe-url"))).topicArn();
        String queueArn = local.queue(local.unique("unsubscribe-url"));
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn))
                .subscriptionArn();

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(local.edge.baseUrl()
                + "/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("<UnsubscribeResponse ");
        assertThat(local.sns.listSubscriptionsByTopic(r -> r.topicArn(topicArn)).subscriptions()).isEmpty();
    }

    @Test
    void theAwsCliPublishesThroughTheEndpoint() throws Exception {
        Optional<Path> aws = onPath("aws");
        assumeTrue(aws.isPresent(), "the aws CLI is not on PATH");
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("cli"))).topicArn();
        String queueArn = local.queue(local.unique("cli"));
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));

        CliResult published = aws(aws.get(), "sns", "publish", "--topic-arn", topicArn, "--message",
                "{\"type\":\"deploy.finished\"}", "--message-attributes",
                "{\"type\":{\"DataType\":\"String\",\"StringValue\":\"deploy.finished\"}}");
        CliResult missing = aws(aws.get(), "sns", "get-topic-attributes", "--topic-arn", topicArn + "-missing");

        assertThat(published.exitCode()).as(published.stderr()).isZero();
        assertThat(published.stdout()).contains("\"MessageId\"");
        List<Message> messages = local.receive(queueArn);
        assertThat(messages).extracting(Message::body).containsExactly("{\"type\":\"deploy.finished\"}");
        assertThat(messages.getFirst().messageAttributes().get("type").stringValue()).isEqualTo("deploy.finished");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("(NotFound)").contains("GetTopicAttributes");
    }

    record CliResult(int exitCode, String stdout, String stderr) {
    }

    private static CliResult aws(Path aws, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aws.toString(), "--endpoint-url", local.edge.baseUrl(),
                "--region", "us-east-1", "--output", "json"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        environment.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        environment.put("AWS_PAGER", "");
        Path stdout = Files.createTempFile("aws-cli", ".out");
        Path stderr = Files.createTempFile("aws-cli", ".err");
        try {
            Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("aws " + String.join(" ", arguments) + " did not finish in 60 s");
            }
            return new CliResult(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable).findFirst();
    }
}
