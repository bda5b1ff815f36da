package dev.relay.local.esm;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lambda's documented reading of a partial batch response. */
class PartialBatchResponseTest {

    private static final Set<String> BATCH = Set.of("id-1", "id-2", "id-3");

    private static BatchOutcome outcome(String response) {
        return PartialBatchResponse.outcome(response.getBytes(StandardCharsets.UTF_8), BATCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "{}", "{\"batchItemFailures\":null}", "{\"batchItemFailures\":[]}",
            "{\"somethingElse\":true}"})
    void anEmptyOrNullResponseOrListIsCompleteSuccess(String response) {
        assertThat(outcome(response)).isInstanceOf(BatchOutcome.Succeeded.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"batchItemFailures\":", "{\"batchItemFailures\":[]} trailing", "\"a string\"", "42", "[]",
            "{\"batchItemFailures\":{\"itemIdentifier\":\"id-1\"}}",
            "{\"batchItemFailures\":[\"id-1\"]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":7}]}",
            "{\"batchItemFailures\":[{\"ItemIdentifier\":\"id-1\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"id-1\"},{\"itemIdentifier\":\"id-9\"}]}"})
    void aMalformedResponseIsCompleteFailure(String response) {
        assertThat(outcome(response)).isInstanceOf(BatchOutcome.Failed.class);
    }

    @Test
    void reportedItemsAreTheOnlyFailures() {
        assertThat(outcome("{\"batchItemFailures\":[{\"itemIdentifier\":\"id-2\"},{\"itemIdentifier\":\"id-3\"}]}"))
                .isEqualTo(new BatchOutcome.PartiallyFailed(Set.of("id-2", "id-3")));
    }

    @Test
    void readsWhatLambdasOwnSqsBatchResponseSerializesTo() throws Exception {
        SQSBatchResponse response = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("id-1")));
        // A Java handler's return value goes through plain Jackson in the runtime client.
        byte[] json = new ObjectMapper().writeValueAsBytes(response);

        assertThat(PartialBatchResponse.outcome(json, BATCH)).isEqualTo(new BatchOutcome.PartiallyFailed(Set.of("id-1")));
    }
}
