package dev.relay.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.edge.EdgeServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The Lambda API as users reach it: the AWS SDK's LambdaClient against {@link LambdaEndpoint} on a local port. */
class LambdaEndpointIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestFunctions.RecordingSink SINK = new TestFunctions.RecordingSink();

    private static LambdaService service;
    private static EdgeServer server;
    private static LambdaClient lambda;

    @BeforeAll
    static void start() {
        service = new LambdaService(LambdaService.Settings.defaults(TestFunctions.REGION, TestFunctions.ACCOUNT)
                .withLogSink(SINK).withAsyncRetryDelays(List.of(Duration.ofMillis(100), Duration.ofMillis(100))));
        service.register(TestFunctions.spec("echo", TestFunctions.ECHO));
        service.register(TestFunctions.spec("probe", TestFunctions.PROBE).withTimeoutSeconds(30).withMemoryMb(256));
        server = EdgeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new LambdaEndpoint(service));
        lambda = LambdaClient.builder()
                .endpointOverride(URI.create(server.baseUrl()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .region(Region.US_EAST_1)
                .build();
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
        service.close();
    }

    private static InvokeResponse invoke(String function, String payload) {
        return lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode json(InvokeResponse response) throws Exception {
        return JSON.readTree(response.payload().asUtf8String());
    }

    @Test
    void requestResponseReturnsTheFunctionsAnswer() {
        InvokeResponse response = invoke("echo", "{\"hello\":\"world\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.payload().asUtf8String()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
    }

    @Test
    void theFunctionSeesItsContextEnvironmentAndJvmAsOnLambda() throws Exception {
        String clientContext = Base64.getEncoder().encodeToString(
                "{\"custom\":{\"tenant\":\"acme\"}}".getBytes(StandardCharsets.UTF_8));
        InvokeResponse response = lambda.invoke(b -> b.functionName("probe").clientContext(clientContext)
                .payload(SdkBytes.fromUtf8String("{\"env\":[\"GREETING\",\"AWS_SECRET_ACCESS_KEY\","
                        + "\"AWS_LAMBDA_FUNCTION_MEMORY_SIZE\",\"LAMBDA_TASK_ROOT\",\"AWS_EXECUTION_ENV\"]}")));

        JsonNode seen = json(response);
        assertThat(seen.get("requestId").asText()).isEqualTo(response.responseMetadata().requestId());
        assertThat(seen.get("remainingMs").asLong()).isBetween(25_000L, 30_000L);
        assertThat(seen.get("memoryLimitMb").asInt()).isEqualTo(256);
        assertThat(seen.get("functionName").asText()).isEqualTo("probe");
        assertThat(seen.get("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(seen.get("invokedArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:probe");
        assertThat(seen.get("logGroup").asText()).isEqualTo("/aws/lambda/probe");
        assertThat(seen.get("logStream").asText()).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}");
        assertThat(seen.get("clientContext").get("tenant").asText()).isEqualTo("acme");
        assertThat(seen.get("maxHeap").asLong()).isBetween(200L << 20, 256L << 20);
        JsonNode env = seen.get("env");
        assertThat(env.get("GREETING").asText()).isEqualTo("hello");
        assertThat(env.get("AWS_SECRET_ACCESS_KEY").asText()).isEqualTo(JavaRuntime.FAKE_SECRET_ACCESS_KEY);
        assertThat(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java25");
        assertThat(seen.get("userDir").asText()).isEqualTo(env.get("LAMBDA_TASK_ROOT").asText());
    }

    @Test
    void aFunctionCanBeNamedByItsArn() {
        InvokeResponse response = invoke("arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST", "[1,2]");

        assertThat(response.payload().asUtf8String()).isEqualTo("[1,2]");
    }

    @Test
    void anEventInvocationIsAcceptedAtOnceAndRunsInTheBackground() {
        String marker = "event-" + UUID.randomUUID();
        InvokeResponse response = lambda.invoke(b -> b.functionName("probe").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"print\":\"" + marker + "\"}")));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.payload().asByteArray()).isEmpty();
        Awaiting.until(() -> SINK.of("probe").contains(marker), Duration.ofSeconds(20));
    }

    @Test
    void aFailedEventInvocationIsRetriedTwiceWithTheSameRequestId() {
        InvokeResponse response = lambda.invoke(b -> b.functionName("probe").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"throw\":\"always failing\"}")));
        String start = "START RequestId: " + response.responseMetadata().requestId() + " Version: $LATEST";

        Awaiting.until(() -> SINK.of("probe").stream().filter(start::equals).count() == 3, Duration.ofSeconds(20));
    }

    @Test
    void dryRunChecksTheFunctionWithoutRunningIt() {
        InvokeResponse response = lambda.invoke(b -> b.functionName("echo").invocationType(InvocationType.DRY_RUN));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("ghost").invocationType(InvocationType.DRY_RUN)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void logTypeTailReturnsTheEndOfTheInvocationsLog() {
        InvokeResponse response = lambda.invoke(b -> b.functionName("probe").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"print\":\"tail me\"}")));

        String log = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        String requestId = response.responseMetadata().requestId();
        assertThat(log).contains("START RequestId: " + requestId + " Version: $LATEST\n", "tail me\n",
                "END RequestId: " + requestId + "\n", "REPORT RequestId: " + requestId + "\tDuration: ");
        assertThat(log).containsPattern("Billed Duration: \\d+ ms\tMemory Size: 256 MB\tMax Memory Used: \\d+ MB");
    }

    @Test
    void aFunctionErrorIsAnUnhandledErrorWithTheErrorObject() throws Exception {
        InvokeResponse response = invoke("probe", "{\"throw\":\"boom\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response);
        assertThat(error.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("errorMessage").asText()).isEqualTo("boom");
        assertThat(error.get("stackTrace")).isNotEmpty();
    }

    @Test
    void anUnknownFunctionIsResourceNotFound() {
        assertThatThrownBy(() -> invoke("nope", "{}"))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");
                    assertThat(e.requestId()).isNotBlank();
                });
        assertThatThrownBy(() -> invoke("echo:7", "{}")).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aPayloadThatIsNotJsonIsRejected() {
        assertThatThrownBy(() -> invoke("echo", "not json"))
                .isInstanceOfSatisfying(InvalidRequestContentException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("Could not parse request body into json");
                });
    }

    @Test
    void listAndGetFunctionShowTheFunctionsSettings() {
        List<FunctionConfiguration> functions = lambda.listFunctions().functions();
        assertThat(functions).extracting(FunctionConfiguration::functionName).containsExactly("echo", "probe");

        GetFunctionResponse probe = lambda.getFunction(b -> b.functionName("probe"));
        FunctionConfiguration config = probe.configuration();
        assertThat(config.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:probe");
        assertThat(config.runtimeAsString()).isEqualTo("java25");
        assertThat(config.handler()).isEqualTo(TestFunctions.PROBE);
        assertThat(config.timeout()).isEqualTo(30);
        assertThat(config.memorySize()).isEqualTo(256);
        assertThat(config.codeSize()).isPositive();
        assertThat(config.codeSha256()).isNotBlank();
        assertThat(config.environment().variables()).containsEntry("GREETING", "hello");
        assertThat(config.stateAsString()).isEqualTo("Active");
        assertThat(probe.code().location()).endsWith("function.jar");
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("ghost")))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
