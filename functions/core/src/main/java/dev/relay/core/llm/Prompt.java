package dev.relay.core.llm;

import dev.relay.core.Json;
import dev.relay.core.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What an agent asks the model: a system prompt (its role and rules) and a user message (the event). */
public record Prompt(String system, String user) {

    public Prompt {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
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
