package dev.relay.local.esm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A function's partial batch response, {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}, read by
 * the rules Lambda documents for SQS event sources with {@code ReportBatchItemFailures}.
 */
final class PartialBatchResponse {

    /** Trailing tokens fail: {@code {"batchItemFailures":[]} junk} is not valid JSON to Lambda either. */
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PartialBatchResponse() {
    }

    /**
     * Lambda's rules for partial batch responses: an empty or null {@code batchItemFailures}, an empty or null
     * response, is complete success; invalid JSON, or an {@code itemIdentifier} that is missing, null, empty or not
     * the id of a message in the batch, is complete failure.
     *
     * @param payload    the function's response, UTF-8 JSON (possibly empty)
     * @param messageIds the ids of the batch's messages
     */
    static BatchOutcome outcome(byte[] payload, Set<String> messageIds) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return new BatchOutcome.Succeeded();
        }
        JsonNode response;
        try {
            response = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new BatchOutcome.Failed("the response is not JSON: " + abbreviate(text));
        }
        if (response == null || response.isNull()) {
            return new BatchOutcome.Succeeded();
        }
        if (!response.isObject()) {
            return new BatchOutcome.Failed("the response is not a batch response object: " + abbreviate(text));
        }
        JsonNode failures = response.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return new BatchOutcome.Succeeded();
        }
        if (!failures.isArray()) {
            return new BatchOutcome.Failed("batchItemFailures is not a list: " + abbreviate(failures.toString()));
        }
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.isObject() ? failure.get("itemIdentifier") : null;
            if (id == null || id.isNull() || !id.isTextual() || id.asText().isEmpty()) {
                return new BatchOutcome.Failed("a batch item failure has no itemIdentifier: " + abbreviate(failure.toString()));
            }
            if (!messageIds.contains(id.asText())) {
                return new BatchOutcome.Failed("itemIdentifier " + id.asText() + " is not the id of a message in the batch");
            }
            failed.add(id.asText());
        }
        return failed.isEmpty() ? new BatchOutcome.Succeeded() : new BatchOutcome.PartiallyFailed(failed);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
