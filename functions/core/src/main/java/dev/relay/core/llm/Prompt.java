package dev.relay.core.llm;

import dev.relay.core.Json;
import dev.relay.core.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent asks the model: a system prompt (its role and rules) and a user message (the event). {@code step}
 * names the call in the audit trail ({@code credit.analyzed}); it is not sent to the model.
 */
public record Prompt(String system, String user, String step) {

    public static final String DEFAULT_STEP = "llm.called";

    public Prompt {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        step = step == null || step.isBlank() ? DEFAULT_STEP : step;
    }

    public Prompt(String system, String user) {
        this(system, user, DEFAULT_STEP);
    }

    /** The same prompt, recorded in the audit trail under {@code step}. */
    public Prompt as(String step) {
        return new Prompt(system, user, step);
    }

    /**
     * SHA-256 over the canonical JSON of the messages and the answer's schema name, so the same question
     * always has the same hash and an auditor can check the recorded prompt against it.
     */
    public String hash(String schema) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("system", system);
        canonical.put("user", user);
        canonical.put("schema", schema);
        return Sha256.hex(Json.canonical(canonical));
    }
}
