package dev.relay.offline;

import static dev.relay.offline.OfflineClient.content;
import static dev.relay.offline.OfflineClient.json;
import static dev.relay.offline.OfflineClient.userRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsAndLifecycleTest {

    private OfflineModelServer server;
    private OfflineClient client;

    @BeforeEach
    void start() {
        server = OfflineModelServer.start(0);
        client = new OfflineClient(server.baseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rateLimitFaultSendsRetryAfterThenTheNextRequestSucceeds() {
        server.enqueueFault(Fault.rateLimited(Duration.ofMillis(1500)));

        HttpResponse<String> limited = client.chat(userRequest("gpt-4o-mini", "hello"));
        HttpResponse<String> next = client.chat(userRequest("gpt-4o-mini", "hello"));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("1500");
        JsonNode error = json(limited.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void subSecondRetryAfterRoundsUpTheSecondsHeader() {
        server.enqueueFault(Fault.rateLimited(Duration.ofMillis(200)));

        HttpResponse<String> limited = client.chat(userRequest("gpt-4o-mini", "hello"));

        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("200");
    }

    @Test
    void faultsApplyInTheOrderTheyWereQueued() {
        server.enqueueFault(Fault.status(503));
        server.enqueueFault(Fault.status(500));

        List<Integer> statuses = IntStream.range(0, 3).mapToObj(i -> client.chat(userRequest("m", "q")).statusCode()).toList();

        assertThat(statuses).containsExactly(503, 500, 200);
    }

    @Test
    void serverErrorFaultHasAnOpenAiBodyAndNoRetryAfter() {
        server.enqueueFault(Fault.status(500));

        HttpResponse<String> response = client.chat(userRequest("m", "q"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("server_error");
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void delayFaultAnswersNormallyAfterTheDelay() {
        server.enqueueFault(Fault.delay(Duration.ofMillis(400)));

        long started = System.nanoTime();
        HttpResponse<String> response = client.chat(userRequest("m", "slow"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(content(response)).contains("slow");
    }

    @Test
    void delayFaultOutlastsAClientTimeout() {
        server.enqueueFault(Fault.delay(Duration.ofSeconds(5)));
        HttpRequest request = client.request("/chat/completions")
                .timeout(Duration.ofMillis(200))
                .POST(HttpRequest.BodyPublishers.ofString(userRequest("m", "slow").toString()))
                .build();

        assertThatThrownBy(() -> client.send(request)).hasRootCauseInstanceOf(HttpTimeoutException.class);
        assertThat(client.chat(userRequest("m", "after")).statusCode()).isEqualTo(200);
    }

    @Test
    void countsAndRecordsEveryChatCompletionRequest() {
        server.enqueueFault(Fault.status(429));
        client.chat(userRequest("m", "one"));
        client.chat(userRequest("m", "two"));
        client.chat("not json");
        client.send(client.request("/models").GET().build());

        assertThat(server.chatCompletionCount()).isEqualTo(3);
        List<JsonNode> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).at("/messages/0/content").asText()).isEqualTo("one");
        assertThat(requests.get(1).at("/messages/0/content").asText()).isEqualTo("two");
        assertThat(requests.get(2).asText()).isEqualTo("not json");
    }

    @Test
    void requestsIsAnUnmodifiableCopy() {
        client.chat(userRequest("m", "one"));

        assertThatThrownBy(() -> server.requests().clear()).isInstanceOf(UnsupportedOperationException.class);
        ((ObjectNode) server.requests().get(0)).put("model", "changed");

        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).get("model").asText()).isEqualTo("m");
    }

    @Test
    void parallelRequestsAreServedTogether() {
        server.enqueueFault(Fault.delay(Duration.ofMillis(500)));
        server.enqueueFault(Fault.delay(Duration.ofMillis(500)));
        server.enqueueFault(Fault.delay(Duration.ofMillis(500)));

        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.chat(userRequest("m", "parallel " + i))))
                .toList();
        calls.forEach(call -> assertThat(call.join().statusCode()).isEqualTo(200));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1400));
    }

    @Test
    void closeReleasesThePort() throws IOException {
        int port = server.port();
        server.close();
        server.close();

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void closeIsPromptEvenWithADelayedRequestInFlight() {
        server.enqueueFault(Fault.delay(Duration.ofSeconds(30)));
        CompletableFuture.runAsync(() -> {
            try {
                client.chat(userRequest("m", "stuck"));
            } catch (RuntimeException expected) {
                // The server goes away under this request.
            }
        });
        while (server.chatCompletionCount() == 0) {
            Thread.onSpinWait();
        }

        long started = System.nanoTime();
        server.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void faultsBelongToOneServer() {
        try (OfflineModelServer other = OfflineModelServer.start(0)) {
            other.enqueueFault(Fault.status(503));

            assertThat(client.chat(userRequest("m", "q")).statusCode()).isEqualTo(200);
            assertThat(new OfflineClient(other.baseUrl()).chat(userRequest("m", "q")).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void faultArgumentsAreChecked() {
        assertThatThrownBy(() -> Fault.status(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.status(302)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.delay(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Fault.delay(Duration.ofSeconds(1)).status()).isEqualTo(200);
    }
}
