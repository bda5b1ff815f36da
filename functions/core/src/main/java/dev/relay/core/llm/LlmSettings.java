package dev.relay.core.llm;

import dev.relay.core.ConfigurationException;
import dev.relay.core.Environment;
import dev.relay.core.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to reach the model. From the environment:
 * <ul>
 *   <li>{@code OPENAI_MODEL} (default {@value #DEFAULT_MODEL}); {@code OPENAI_BASE_URL} for any
 *       OpenAI-compatible server (Ollama, vLLM, the local cloud's offline model);
 *   <li>the key from {@code OPENAI_API_KEY}, or on AWS from an SSM SecureString named by
 *       {@code OPENAI_API_KEY_PARAMETER} or a Secrets Manager secret named by {@code OPENAI_API_KEY_SECRET};
 *   <li>{@code LLM_TIMEOUT_SECONDS} per attempt (default 30) and {@code LLM_MAX_ATTEMPTS} (default 4).
 * </ul>
 * The key is never part of {@link #toString()}.
 */
public record LlmSettings(String model, Optional<URI> baseUrl, String apiKey, Duration timeout, int maxAttempts,
                          Backoff backoff) {

    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    /** Sent to servers that need no key (a local server); the client library insists on one. */
    static final String NO_KEY = "no-key-configured";

    /** Resolves {@code *_PARAMETER} / {@code *_SECRET} names to values; on AWS, SSM and Secrets Manager. */
    public interface SecretStore {
        String parameter(String name);

        String secret(String name);
    }

    public static LlmSettings from(Environment env, SecretStore secrets) {
        Optional<URI> baseUrl = env.optional("OPENAI_BASE_URL").map(url -> uri("OPENAI_BASE_URL", url));
        String apiKey = apiKey(env, secrets)
                .or(() -> baseUrl.map(url -> NO_KEY))
                .orElseThrow(() -> new ConfigurationException(
                        "no OpenAI key: set OPENAI_API_KEY, OPENAI_API_KEY_PARAMETER (SSM SecureString name) or "
                                + "OPENAI_API_KEY_SECRET (Secrets Manager id), or OPENAI_BASE_URL for a server that needs none"));
        return new LlmSettings(
                env.get("OPENAI_MODEL", DEFAULT_MODEL),
                baseUrl,
                apiKey,
                env.seconds("LLM_TIMEOUT_SECONDS", Duration.ofSeconds(30), 1, 900),
                env.integer("LLM_MAX_ATTEMPTS", 4, 1, 10),
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20)));
    }

    /** Settings for a known server and key, e.g. the offline model in tests. */
    public static LlmSettings of(String model, URI baseUrl, Duration timeout, int maxAttempts, Backoff backoff) {
        return new LlmSettings(model, Optional.of(baseUrl), NO_KEY, timeout, maxAttempts, backoff);
    }

    private static Optional<String> apiKey(Environment env, SecretStore secrets) {
        return env.optional("OPENAI_API_KEY")
                .or(() -> env.optional("OPENAI_API_KEY_PARAMETER").map(lookUp("OPENAI_API_KEY_PARAMETER", name -> secrets.parameter(name))))
                .or(() -> env.optional("OPENAI_API_KEY_SECRET").map(lookUp("OPENAI_API_KEY_SECRET", name -> secrets.secret(name))));
    }

    private static Function<String, String> lookUp(String variable, Function<String, String> store) {
        return name -> {
            String value;
            try {
                value = store.apply(name);
            } catch (RuntimeException e) {
                throw new ConfigurationException(variable + "=" + name + " could not be read: " + e.getMessage());
            }
            if (value == null || value.isBlank()) {
                throw new ConfigurationException(variable + "=" + name + " is empty");
            }
            return value.trim();
        };
    }

    private static URI uri(String variable, String value) {
        try {
            URI uri = URI.create(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("scheme must be http or https");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(variable + "='" + value + "' is not an http(s) URL: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "LlmSettings[model=" + model + ", baseUrl=" + baseUrl.map(URI::toString).orElse("(OpenAI)")
                + ", apiKey=" + (NO_KEY.equals(apiKey) ? "(none)" : "(set)") + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + "]";
    }
}
