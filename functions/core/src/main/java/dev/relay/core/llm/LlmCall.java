package dev.relay.core.llm;

import java.time.Instant;

/**
 * The record of one model call, kept so an auditor can see exactly what was asked and answered.
 *
 * @param requestedModel the model named in configuration
 * @param model the model that answered, as the server reports it
 * @param schema the name of the structured answer's type, or {@code null} for free text
 * @param rawOutput the message content exactly as the model returned it
 * @param attempts HTTP attempts it took, retries included
 */
public record LlmCall(
        String requestedModel,
        String model,
        String promptHash,
        Prompt prompt,
        String schema,
        String rawOutput,
        TokenUsage usage,
        long latencyMs,
        int attempts,
        Instant startedAt) {}
