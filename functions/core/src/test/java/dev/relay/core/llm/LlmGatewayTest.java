package dev.relay.core.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.ConfigurationException;
import dev.relay.core.Environment;
import dev.relay.core.retry.Backoff;
import dev.relay.offline.Fault;
import dev.relay.offline.OfflineModelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway drives the real openai-java client over HTTP against the project's offline model. */
class LlmGatewayTest {

    record Triage(Severity severity, List<String> nextSteps, String summary) {}

    enum Severity { SEV1, SEV2, SEV3 }

    private OfflineModelServer server;
    private final List<Duration> waits = new ArrayList<>();
    private LlmGateway gateway;

    @BeforeEach
    void start() {
        server = OfflineModelServer.start(0);
        gateway = gateway(3, Duration.ofSeconds(5));
    }

    private LlmGateway gateway(int attempts, Duration timeout) {
        return new LlmGateway(LlmSettings.of("gpt-4o-mini", server.baseUrl(), timeout, attempts,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2))), waits::add);
    }

    @AfterEach
    void stop() {
        gateway.close();
        server.close();
    }

    @Test
    void structuredAnswerArrivesAsTheRecordAndTheCallIsRecorded() {
        Prompt prompt = new Prompt("You triage incidents.", "Alert: checkout p99 2350ms. severity: sev2");

        Answer<Triage> answer = gateway.decide(prompt, Triage.class);

        assertThat(answer.value().severity()).isEqualTo(Severity.SEV2);
        assertThat(answer.value().nextSteps()).isNotEmpty();
        LlmCall call = answer.call();
        assertThat(call.requestedModel()).isEqualTo("gpt-4o-mini");
        assertThat(call.model()).isEqualTo("relay-offline/gpt-4o-mini");
        assertThat(call.schema()).isEqualTo("Triage");
        assertThat(call.prompt()).isEqualTo(prompt);
        assertThat(call.promptHash()).isEqualTo(prompt.hash("Triage")).hasSize(64);
        assertThat(call.rawOutput()).contains("\"severity\"");
        assertThat(call.usage().totalTokens()).isPositive();
        assertThat(call.attempts()).isEqualTo(1);
        assertThat(server.requests().get(0).at("/response_format/type").asText()).isEqualTo("json_schema");
    }

    @Test
    void freeTextAnswer() {
        Answer<String> answer = gateway.write(new Prompt("You draft replies.", "Customer asks for a refund."));

        assertThat(answer.value()).isNotBlank();
        assertThat(answer.call().schema()).isNull();
        assertThat(answer.call().rawOutput()).isEqualTo(answer.value());
    }

    @Test
    void rateLimitedCallIsRetriedHonouringRetryAfter() {
        server.enqueueFault(Fault.rateLimited(Duration.ofMillis(1500)));

        Answer<Triage> answer = gateway.decide(new Prompt("s", "u"), Triage.class);

        assertThat(answer.call().attempts()).isEqualTo(2);
        assertThat(server.chatCompletionCount()).isEqualTo(2);
        assertThat(waits).hasSize(1);
        assertThat(waits.get(0)).as("no sooner than Retry-After").isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void serverErrorsAreRetriedWithJitteredBackoffUntilAttemptsRunOut() {
        for (int i = 0; i < 3; i++) {
            server.enqueueFault(Fault.status(500));
        }

        assertThatThrownBy(() -> gateway.decide(new Prompt("s", "u"), Triage.class))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("HTTP 500")
                .satisfies(e -> assertThat(((LlmException) e).retryable()).isTrue());
        assertThat(server.chatCompletionCount()).isEqualTo(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
    }

    @Test
    void timeoutIsRetried() {
        gateway.close();
        gateway = gateway(2, Duration.ofMillis(500));
        server.enqueueFault(Fault.delay(Duration.ofSeconds(2)));

        Answer<String> answer = gateway.write(new Prompt("s", "u"));

        assertThat(answer.call().attempts()).isEqualTo(2);
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.enqueueFault(Fault.status(400));

        assertThatThrownBy(() -> gateway.write(new Prompt("s", "u")))
                .isInstanceOf(LlmException.class)
                .satisfies(e -> assertThat(((LlmException) e).retryable()).isFalse());
        assertThat(server.chatCompletionCount()).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void settingsNameWhatIsMissingAndNeverPrintTheKey() {
        assertThatThrownBy(() -> LlmSettings.from(new Environment(Map.of()), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> LlmSettings.from(new Environment(Map.of("OPENAI_BASE_URL", "ftp://x")), null))
                .hasMessageContaining("OPENAI_BASE_URL='ftp://x' is not an http(s) URL");
        assertThatThrownBy(() -> LlmSettings.from(new Environment(Map.of("OPENAI_API_KEY", "k", "LLM_MAX_ATTEMPTS", "0")), null))
                .hasMessageContaining("LLM_MAX_ATTEMPTS=0 is outside [1, 10]");

        LlmSettings settings = LlmSettings.from(new Environment(Map.of("OPENAI_API_KEY", "sk-secret-value")), null);
        assertThat(settings.toString()).doesNotContain("sk-secret-value").contains("apiKey=(set)");
        assertThat(settings.model()).isEqualTo(LlmSettings.DEFAULT_MODEL);
    }

    @Test
    void keyIsReadFromTheParameterStoreWhenNamed() {
        LlmSettings.SecretStore store = new LlmSettings.SecretStore() {
            @Override
            public String parameter(String name) {
                return name.equals("/relay/openai-api-key") ? "sk-from-ssm" : null;
            }

            @Override
            public String secret(String name) {
                throw new IllegalStateException("AccessDenied");
            }
        };

        assertThat(LlmSettings.from(new Environment(Map.of("OPENAI_API_KEY_PARAMETER", "/relay/openai-api-key")), store).apiKey())
                .isEqualTo("sk-from-ssm");
        assertThatThrownBy(() -> LlmSettings.from(new Environment(Map.of("OPENAI_API_KEY_SECRET", "relay/key")), store))
                .hasMessage("OPENAI_API_KEY_SECRET=relay/key could not be read: AccessDenied");
    }
}
