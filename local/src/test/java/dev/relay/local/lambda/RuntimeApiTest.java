package dev.relay.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.local.edge.EdgeServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Runtime API as a runtime client sees it, driven over HTTP by a plain client (no function process). */
class RuntimeApiTest {

    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:fn";
    private static final String BASE = "/2018-06-01/runtime";

    private final HttpClient http = HttpClient.newHttpClient();
    private RuntimeApi api;
    private EdgeServer server;

    @BeforeEach
    void start() {
        api = new RuntimeApi(ARN);
        server = EdgeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), api);
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
        http.close();
    }

    private PendingInvocation assign(String payload) {
        PendingInvocation invocation = new PendingInvocation(PendingInvocation.newRequestId(),
                payload.getBytes(StandardCharsets.UTF_8), null, Duration.ofSeconds(30));
        api.assign(invocation);
        return invocation;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nextHandsOutTheInvocationWithEveryHeaderLambdaSends() throws Exception {
        PendingInvocation invocation = assign("{\"n\":1}");
        long before = System.currentTimeMillis();

        HttpResponse<String> next = get(BASE + "/invocation/next");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"n\":1}");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).contains(invocation.requestId);
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).contains(ARN);
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id")).hasValueSatisfying(trace ->
                assertThat(trace).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0"));
        long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertThat(deadline).isBetween(before + 29_000, System.currentTimeMillis() + 30_000);
        assertThat(api.ready()).isDone();
        assertThat(invocation.handedOut).isCompletedWithValue(deadline);
    }

    @Test
    void aResponseForAnotherRequestIdIsRejectedAndTheInvocationStaysOpen() throws Exception {
        PendingInvocation invocation = assign("{}");
        get(BASE + "/invocation/next");

        HttpResponse<String> wrong = post(BASE + "/invocation/not-the-id/response", "{}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("\"errorType\":\"InvalidRequestID\"").contains("not-the-id");
        assertThat(invocation.outcome).isNotDone();

        HttpResponse<String> right = post(BASE + "/invocation/" + invocation.requestId + "/response", "{\"ok\":true}");
        assertThat(right.statusCode()).isEqualTo(202);
        assertThat(invocation.outcome.join()).isInstanceOfSatisfying(RuntimeOutcome.Response.class,
                response -> assertThat(new String(response.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}"));
    }

    @Test
    void anInvocationErrorCarriesTheRuntimesErrorType() throws Exception {
        PendingInvocation invocation = assign("{}");
        get(BASE + "/invocation/next");

        HttpResponse<String> error = post(BASE + "/invocation/" + invocation.requestId + "/error",
                "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.RuntimeException\"}",
                "Lambda-Runtime-Function-Error-Type", "Runtime.UserException");

        assertThat(error.statusCode()).isEqualTo(202);
        assertThat(invocation.outcome.join()).isInstanceOfSatisfying(RuntimeOutcome.FunctionError.class,
                failure -> assertThat(failure.errorType()).isEqualTo("Runtime.UserException"));
    }

    @Test
    void aResponseOverSixMegabytesIs413AndEndsTheInvocation() throws Exception {
        PendingInvocation invocation = assign("{}");
        get(BASE + "/invocation/next");

        HttpResponse<String> tooLarge = post(BASE + "/invocation/" + invocation.requestId + "/response",
                "\"" + "x".repeat(RuntimeApi.MAX_RESPONSE_BYTES) + "\"");

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("RequestEntityTooLarge");
        assertThat(invocation.outcome.join()).isInstanceOf(RuntimeOutcome.ResponseTooLarge.class);
    }

    @Test
    void anInitErrorFailsTheWaitingInvocationAndIsRefusedAfterInit() throws Exception {
        PendingInvocation invocation = assign("{}");

        HttpResponse<String> initError = post(BASE + "/init/error", "{\"errorMessage\":\"bad\",\"errorType\":\"X\"}",
                "Lambda-Runtime-Function-Error-Type", "Runtime.BadFunctionCode");

        assertThat(initError.statusCode()).isEqualTo(202);
        assertThat(invocation.outcome.join()).isInstanceOfSatisfying(RuntimeOutcome.InitError.class,
                failure -> assertThat(failure.errorType()).isEqualTo("Runtime.BadFunctionCode"));

        assign("{}");
        get(BASE + "/invocation/next");
        assertThat(post(BASE + "/init/error", "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void unknownPathsAre404JsonErrors() throws Exception {
        HttpResponse<String> unknown = get(BASE + "/invocation/abc/whatever");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"errorType\":\"NotFound\"").contains("/invocation/abc/whatever");
    }
}
