package dev.relay.core.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.core.ObjectMappers;
import com.openai.core.http.Headers;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.services.blocking.chat.ChatCompletionService;
import com.openai.services.blocking.chat.ChatCompletionServiceImpl;
import dev.relay.core.Json;
import dev.relay.core.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way Relay talks to a model: openai-java against OpenAI or any compatible server, with Relay's
 * own retry (the client's is off, so there is one backoff formula and one attempt count), and a
 * {@link LlmCall} record of every call for the audit trail.
 *
 * <p>It builds the chat-completions service alone rather than the whole {@code OpenAIClient}, whose constructor links
 * every OpenAI API (assistants, realtime, evals, ...): the function jars' shrinker keeps only what is linked, so this is
 * what lets it drop the other ~90% of openai-java.
 */
public final class LlmGateway implements LanguageModel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LlmGateway.class);

    private final LlmSettings settings;
    private final ClientOptions options;
    private final ChatCompletionService completions;
    private final Sleeper sleeper;

    /** Waits between attempts; tests may count the waits instead of sleeping through them. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public LlmGateway(LlmSettings settings) {
        this(settings, duration -> Thread.sleep(duration));
    }

    public LlmGateway(LlmSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.options = ClientOptions.builder()
                .httpClient(OkHttpClient.builder().timeout(settings.timeout()).build())
                .baseUrl(settings.baseUrl().map(URI::toString))
                .apiKey(settings.apiKey())
                .timeout(settings.timeout())
                .maxRetries(0)
                .build();
        this.completions = new ChatCompletionServiceImpl(options);
    }

    public LlmSettings settings() {
        return settings;
    }

    @Override
    public <T> Answer<T> decide(Prompt prompt, Class<T> type) {
        ChatCompletionCreateParams params = messages(prompt).responseFormat(type).build().rawParams();
        return call(prompt, type.getSimpleName(), params, raw -> parse(raw, type));
    }

    @Override
    public Answer<String> write(Prompt prompt) {
        return call(prompt, null, messages(prompt).build(), raw -> raw);
    }

    private ChatCompletionCreateParams.Builder messages(Prompt prompt) {
        return ChatCompletionCreateParams.builder()
                .model(settings.model())
                .addSystemMessage(prompt.system())
                .addUserMessage(prompt.user());
    }

    private <T> Answer<T> call(Prompt prompt, String schema, ChatCompletionCreateParams params, Function<String, T> parse) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                ChatCompletion completion = completions.create(params);
                String raw = completion.choices().stream().findFirst()
                        .flatMap(choice -> choice.message().content())
                        .orElseThrow(() -> new LlmException("the model returned no message content", false, 1, null));
                TokenUsage usage = completion.usage()
                        .map(u -> new TokenUsage(u.promptTokens(), u.completionTokens(), u.totalTokens()))
                        .orElse(TokenUsage.NONE);
                LlmCall call = new LlmCall(settings.model(), completion.model(), prompt.hash(schema), prompt, schema, raw,
                        usage, (System.nanoTime() - start) / 1_000_000, attempt, startedAt);
                return new Answer<>(parse.apply(raw), call);
            } catch (OpenAIException e) {
                if (!retryable(e)) {
                    throw new LlmException("model call failed: " + describe(e), false, attempt, e);
                }
                if (attempt >= settings.maxAttempts()) {
                    throw new LlmException("model call failed after " + attempt + " attempts: " + describe(e), true, attempt, e);
                }
                Duration wait = settings.backoff().delay(attempt, retryAfter(e).orElse(null));
                LOG.warn("model call attempt {} failed ({}); retrying in {} ms", attempt, describe(e), wait.toMillis());
                pause(wait, attempt, e);
            }
        }
    }

    private void pause(Duration wait, int attempt, OpenAIException cause) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new LlmException("interrupted while waiting to retry the model call", true, attempt, cause);
        }
    }

    /** 429, 408/409, 5xx and I/O failures (timeouts, refused connections) may succeed later; the rest will not. */
    static boolean retryable(OpenAIException e) {
        if (e instanceof RateLimitException || e instanceof InternalServerException
                || e instanceof OpenAIIoException || e instanceof OpenAIRetryableException) {
            return true;
        }
        if (e instanceof OpenAIServiceException service) {
            int status = service.statusCode();
            return status == 408 || status == 409 || status >= 500;
        }
        return false;
    }

    /** {@code retry-after-ms} (OpenAI's precise form) wins over {@code Retry-After} in seconds. */
    static Optional<Duration> retryAfter(OpenAIException e) {
        if (!(e instanceof OpenAIServiceException service)) {
            return Optional.empty();
        }
        Headers headers = service.headers();
        Optional<Duration> wait = first(headers.values("retry-after-ms")).flatMap(ms -> millis(ms, 1));
        if (wait.isEmpty()) {
            wait = first(headers.values("retry-after")).flatMap(seconds -> millis(seconds, 1000));
        }
        return wait.filter(d -> !d.isNegative() && d.compareTo(Duration.ofMinutes(1)) <= 0);
    }

    private static Optional<String> first(List<String> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).trim());
    }

    private static Optional<Duration> millis(String value, double millisPerUnit) {
        try {
            return Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(value) * millisPerUnit)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP-date Retry-After: fall back to our own backoff
        }
    }

    private static String describe(OpenAIException e) {
        if (e instanceof OpenAIServiceException service) {
            return "HTTP " + service.statusCode() + service.code().map(c -> " " + c).orElse("")
                    + " " + Optional.ofNullable(e.getMessage()).orElse("");
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static <T> T parse(String raw, Class<T> type) {
        try {
            return Json.MAPPER.readValue(raw, type);
        } catch (JsonProcessingException e) {
            throw new LlmException("the model's answer does not fit " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), false, 1, e);
        }
    }

    /**
     * SnapStart priming ({@code dev.relay.core.snapstart.Priming}): a decision's request is built (its JSON schema
     * generated) and serialized, and a canned completion parsed and read into the decision, as a real call would,
     * but with no HTTP: the client is built against a base URL nothing is sent to, and closed.
     */
    public static void prime() {
        LlmSettings settings = LlmSettings.of(LlmSettings.DEFAULT_MODEL, URI.create("http://127.0.0.1:9/v1"),
                Duration.ofSeconds(1), 1, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)));
        try (LlmGateway gateway = new LlmGateway(settings)) {
            ChatCompletionCreateParams params = gateway.messages(new Prompt("system", "user"))
                    .responseFormat(PrimingAnswer.class).build().rawParams();
            String request = ObjectMappers.jsonMapper().writeValueAsString(params._body());
            ChatCompletion completion = ObjectMappers.jsonMapper().readValue(PRIMING_COMPLETION, ChatCompletion.class);
            String content = completion.choices().getFirst().message().content().orElseThrow();
            if (!request.contains("json_schema") || !parse(content, PrimingAnswer.class).primed()) {
                throw new IllegalStateException("priming: the model client did not round-trip a canned answer");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("priming: " + e.getOriginalMessage(), e);
        }
    }

    /** A structured answer, as agents' decisions are. */
    record PrimingAnswer(boolean primed, String reason) {}

    private static final String PRIMING_COMPLETION = """
            {"id": "chatcmpl-priming", "object": "chat.completion", "created": 0, "model": "priming",
             "choices": [{"index": 0, "finish_reason": "stop", "logprobs": null,
                          "message": {"role": "assistant", "refusal": null,
                                      "content": "{\\"primed\\": true, \\"reason\\": \\"canned\\"}"}}],
             "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
            """;

    @Override
    public void close() {
        options.close();
    }
}
