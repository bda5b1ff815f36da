package dev.relay.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lambda's defaults and the configurations Lambda rejects, each error naming its property. */
class SqsEventSourceConfigTest {

    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:ops-queue";
    private static final String FIFO = "arn:aws:sqs:us-east-1:000000000000:orders.fifo";

    @Test
    void defaultsAreLambdas() {
        SqsEventSourceConfig config = SqsEventSourceConfig.fromProperties("OpsFn", Map.of("Queue", QUEUE));

        assertThat(config.batchSize()).isEqualTo(10);
        assertThat(config.maximumBatchingWindowInSeconds()).isZero();
        assertThat(config.reportsBatchItemFailures()).isFalse();
        assertThat(config.maximumConcurrency()).isEqualTo(SqsEventSourceConfig.DEFAULT_LOCAL_CONCURRENCY);
        assertThat(config.enabled()).isTrue();
        assertThat(config.queue().region()).isEqualTo("us-east-1");
        assertThat(config.queue().queueName()).isEqualTo("ops-queue");
        assertThat(config.queue().toString()).isEqualTo(QUEUE);
    }

    @Test
    void readsTheSamSqsEventOfTheTemplate() {
        SqsEventSourceConfig config = SqsEventSourceConfig.fromProperties("OpsFn", Map.of(
                "Queue", QUEUE, "BatchSize", 10, "MaximumBatchingWindowInSeconds", 1,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "ScalingConfig", Map.of("MaximumConcurrency", 5)));

        assertThat(config).isEqualTo(new SqsEventSourceConfig("OpsFn", QueueArn.parse(QUEUE, "Queue"), 10, 1,
                List.of("ReportBatchItemFailures"), 5, true));
    }

    @Test
    void readsAnEventSourceMappingResourceWithStringValues() {
        SqsEventSourceConfig config = SqsEventSourceConfig.fromProperties("OpsFn", Map.of(
                "EventSourceArn", QUEUE, "FunctionName", "OpsFn", "BatchSize", "500",
                "MaximumBatchingWindowInSeconds", "30", "Enabled", "false"));

        assertThat(config.batchSize()).isEqualTo(500);
        assertThat(config.maximumBatchingWindowInSeconds()).isEqualTo(30);
        assertThat(config.enabled()).isFalse();
    }

    @Test
    void aBatchLargerThanTenNeedsAWindow() {
        assertRejected(Map.of("Queue", QUEUE, "BatchSize", 11), "BatchSize",
                "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
    }

    @Test
    void batchSizeLimitsDependOnTheQueueType() {
        assertRejected(Map.of("Queue", QUEUE, "BatchSize", 10_001, "MaximumBatchingWindowInSeconds", 1), "BatchSize",
                "between 1 and 10000");
        assertRejected(Map.of("Queue", QUEUE, "BatchSize", 0), "BatchSize", "between 1 and 10000");
        assertRejected(Map.of("Queue", FIFO, "BatchSize", 11), "BatchSize", "between 1 and 10 for FIFO");
        assertThat(SqsEventSourceConfig.fromProperties("Fn", Map.of("Queue", QUEUE, "BatchSize", 10_000,
                "MaximumBatchingWindowInSeconds", 300)).batchSize()).isEqualTo(10_000);
    }

    @Test
    void theWindowIsBoundedAndNotForFifoQueues() {
        assertRejected(Map.of("Queue", QUEUE, "MaximumBatchingWindowInSeconds", 301), "MaximumBatchingWindowInSeconds",
                "between 0 and 300");
        assertRejected(Map.of("Queue", FIFO, "MaximumBatchingWindowInSeconds", 1), "MaximumBatchingWindowInSeconds",
                "not supported for FIFO");
    }

    @Test
    void otherBadValuesNameTheirProperty() {
        assertRejected(Map.of("Queue", QUEUE, "ScalingConfig", Map.of("MaximumConcurrency", 1)),
                "ScalingConfig.MaximumConcurrency", "between 2 and 1000");
        assertRejected(Map.of("Queue", QUEUE, "FunctionResponseTypes", List.of("ReportBatchFailures")),
                "FunctionResponseTypes", "ReportBatchFailures");
        assertRejected(Map.of("Queue", QUEUE, "BatchSize", "ten"), "BatchSize", "must be an integer");
        assertRejected(Map.of("Queue", QUEUE, "Enabled", "yes"), "Enabled", "true or false");
        assertRejected(Map.of("Queue", "arn:aws:sns:us-east-1:000000000000:topic"), "Queue", "SQS queue ARN");
        assertRejected(Map.of("EventSourceArn", "ops-queue"), "EventSourceArn", "SQS queue ARN");
        assertRejected(Map.of("BatchSize", 5), "EventSourceArn", "required");
        assertRejected(Map.of("Queue", QUEUE, "FilterCriteria", Map.of("Filters", List.of())), "FilterCriteria",
                "not emulated");
    }

    private static void assertRejected(Map<String, ?> properties, String field, String problem) {
        assertThatThrownBy(() -> SqsEventSourceConfig.fromProperties("Fn", new HashMap<>(properties)))
                .isInstanceOf(InvalidMappingException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((InvalidMappingException) e).field()).isEqualTo(field));
    }
}
