package dev.relay.local.esm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an invocation's answer means for its batch: delete it all, keep it all, or keep only the reported items.
 * With {@code ReportBatchItemFailures}, {@link #ofBatchResponse} reads the function's
 * {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}} by Lambda's documented rules.
 */
public sealed interface BatchOutcome {

    /** Every message was handled: delete the batch. */
    record Succeeded() implements BatchOutcome {
    }

    /** Nothing counts as handled: delete nothing, the visibility timeout and the redrive policy take over. */
    record Failed(String reason) implements BatchOutcome {
    }

    /** Only {@code failedMessageIds} failed: delete the others. */
    record PartiallyFailed(Set<String> failedMessageIds) implements BatchOutcome {
        public PartiallyFailed {
            failedMessageIds = Set.copyOf(failedMessageIds);
        }
    }

    /**
     * Lambda's rules for partial batch responses: an empty or null {@code batchItemFailures}, an empty or null
     * response, is complete success; invalid JSON, or an {@code itemIdentifier} that is missing, null, empty or not
     * the id of a message in the batch, is complete failure.
     *
     * @param payload    the function's response, UTF-8 JSON (possibly empty)
     * @param messageIds the ids of the batch's messages
     */
    static BatchOutcome ofBatchResponse(byte[] payload, Set<String> messageIds) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return new Succeeded();
        }
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new Failed("the response is not JSON: " + abbreviate(text));
        }
        if (response == null || response.isNull()) {
            return new Succeeded();
        }
        if (!response.isObject()) {
            return new Failed("the response is not a batch response object: " + abbreviate(text));
        }
        JsonNode failures = response.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return new Succeeded();
        }
        if (!failures.isArray()) {
            return new Failed("batchItemFailures is not a list: " + abbreviate(failures.toString()));
        }
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.isObject() ? failure.get("itemIdentifier") : null;
            if (id == null || id.isNull() || !id.isTextual() || id.asText().isEmpty()) {
                return new Failed("a batch item failure has no itemIdentifier: " + abbreviate(failure.toString()));
            }
            if (!messageIds.contains(id.asText())) {
                return new Failed("itemIdentifier " + id.asText() + " is not the id of a message in the batch");
            }
            failed.add(id.asText());
        }
        return failed.isEmpty() ? new Succeeded() : new PartiallyFailed(failed);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** One shared mapper; it is thread-safe once configured. */
    final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }
    }
}
