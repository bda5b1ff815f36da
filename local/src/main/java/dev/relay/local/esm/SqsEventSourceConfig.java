package dev.relay.local.esm;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One SQS event source mapping as Lambda's {@code CreateEventSourceMapping} takes it (and as SAM's {@code Type: SQS}
 * event and {@code AWS::Lambda::EventSourceMapping} declare it), with Lambda's defaults and Lambda's validation.
 *
 * @param functionName                   the physical function name the invoker knows
 * @param queue                          the queue's ARN ({@code Queue} in SAM, {@code EventSourceArn} in CloudFormation)
 * @param batchSize                      most records per event: 1–10 000 (standard), 1–10 (FIFO); Lambda's default 10
 * @param maximumBatchingWindowInSeconds how long to keep gathering before invoking, 0–300; 0 invokes with what one
 *                                       receive returned. Not supported for FIFO queues
 * @param functionResponseTypes          empty, or {@code [ReportBatchItemFailures]} for partial batch responses
 * @param maximumConcurrency             {@code ScalingConfig.MaximumConcurrency}: batches in flight at once, 2–1000.
 *                                       Unset on AWS means "scale with the queue"; locally it is
 *                                       {@link #DEFAULT_LOCAL_CONCURRENCY}, since every invocation is a JVM here
 * @param enabled                        a disabled mapping exists but does not poll
 */
public record SqsEventSourceConfig(
        String functionName,
        QueueArn queue,
        int batchSize,
        int maximumBatchingWindowInSeconds,
        List<String> functionResponseTypes,
        int maximumConcurrency,
        boolean enabled) {

    public static final int DEFAULT_BATCH_SIZE = 10;
    public static final int DEFAULT_LOCAL_CONCURRENCY = 2;
    public static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    static final int MAX_BATCH_SIZE_STANDARD = 10_000;
    static final int MAX_BATCH_SIZE_FIFO = 10;
    /** Above one receive's worth, Lambda needs a window to gather in. */
    static final int MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
    static final int MAX_BATCHING_WINDOW_SECONDS = 300;
    static final int MIN_CONCURRENCY = 2;
    static final int MAX_CONCURRENCY = 1000;

    public SqsEventSourceConfig {
        if (functionName == null || functionName.isBlank()) {
            throw new InvalidMappingException("FunctionName", "is required");
        }
        if (queue == null) {
            throw new InvalidMappingException("EventSourceArn", "is required");
        }
        functionResponseTypes = List.copyOf(Objects.requireNonNullElse(functionResponseTypes, List.of()));
        int maxBatchSize = queue.isFifo() ? MAX_BATCH_SIZE_FIFO : MAX_BATCH_SIZE_STANDARD;
        if (batchSize < 1 || batchSize > maxBatchSize) {
            throw new InvalidMappingException("BatchSize", "must be between 1 and " + maxBatchSize + " for "
                    + (queue.isFifo() ? "FIFO" : "standard") + " queue " + queue.queueName() + ", got " + batchSize);
        }
        if (maximumBatchingWindowInSeconds < 0 || maximumBatchingWindowInSeconds > MAX_BATCHING_WINDOW_SECONDS) {
            throw new InvalidMappingException("MaximumBatchingWindowInSeconds",
                    "must be between 0 and " + MAX_BATCHING_WINDOW_SECONDS + ", got " + maximumBatchingWindowInSeconds);
        }
        if (queue.isFifo() && maximumBatchingWindowInSeconds > 0) {
            throw new InvalidMappingException("MaximumBatchingWindowInSeconds",
                    "batching window is not supported for FIFO queues (" + queue.queueName() + ")");
        }
        if (batchSize > MAX_BATCH_SIZE_WITHOUT_WINDOW && maximumBatchingWindowInSeconds == 0) {
            throw new InvalidMappingException("BatchSize", "Maximum batch window in seconds must be greater than 0"
                    + " if maximum batch size is greater than " + MAX_BATCH_SIZE_WITHOUT_WINDOW + " (BatchSize "
                    + batchSize + ", MaximumBatchingWindowInSeconds 0)");
        }
        for (String type : functionResponseTypes) {
            if (!REPORT_BATCH_ITEM_FAILURES.equals(type)) {
                throw new InvalidMappingException("FunctionResponseTypes",
                        "the only value for SQS is " + REPORT_BATCH_ITEM_FAILURES + ", got " + type);
            }
        }
        if (maximumConcurrency < MIN_CONCURRENCY || maximumConcurrency > MAX_CONCURRENCY) {
            throw new InvalidMappingException("ScalingConfig.MaximumConcurrency",
                    "must be between " + MIN_CONCURRENCY + " and " + MAX_CONCURRENCY + ", got " + maximumConcurrency);
        }
    }

    /** A mapping with Lambda's defaults: batches of 10, no window, whole-batch responses, enabled. */
    public static SqsEventSourceConfig of(String functionName, String queueArn) {
        return new SqsEventSourceConfig(functionName, QueueArn.parse(queueArn, "EventSourceArn"), DEFAULT_BATCH_SIZE,
                0, List.of(), DEFAULT_LOCAL_CONCURRENCY, true);
    }

    /**
     * Reads the properties of a SAM {@code Type: SQS} event ({@code Queue}, ...) or of an
     * {@code AWS::Lambda::EventSourceMapping} ({@code EventSourceArn}, ...), intrinsics already resolved.
     * Numbers and booleans may be given as strings, as CloudFormation accepts them.
     *
     * @param functionName the function's resolved physical name
     * @throws InvalidMappingException naming the property Lambda would reject
     */
    public static SqsEventSourceConfig fromProperties(String functionName, Map<String, ?> properties) {
        if (properties.containsKey("FilterCriteria")) {
            throw new InvalidMappingException("FilterCriteria", "event filtering is not emulated by the local cloud");
        }
        String arnField = properties.containsKey("Queue") ? "Queue" : "EventSourceArn";
        Object arn = properties.get(arnField);
        if (!(arn instanceof String arnText)) {
            throw new InvalidMappingException(arnField, arn == null ? "is required" : "must be a queue ARN string, got " + arn);
        }
        Object scaling = properties.get("ScalingConfig");
        if (scaling != null && !(scaling instanceof Map<?, ?>)) {
            throw new InvalidMappingException("ScalingConfig", "must be a map, got " + scaling);
        }
        Object concurrency = scaling == null ? null : ((Map<?, ?>) scaling).get("MaximumConcurrency");
        return new SqsEventSourceConfig(
                functionName,
                QueueArn.parse(arnText, arnField),
                intOr(properties.get("BatchSize"), "BatchSize", DEFAULT_BATCH_SIZE),
                intOr(properties.get("MaximumBatchingWindowInSeconds"), "MaximumBatchingWindowInSeconds", 0),
                stringList(properties.get("FunctionResponseTypes"), "FunctionResponseTypes"),
                intOr(concurrency, "ScalingConfig.MaximumConcurrency", DEFAULT_LOCAL_CONCURRENCY),
                booleanOr(properties.get("Enabled"), "Enabled", true));
    }

    /** Batch size and window together, since which sizes are valid depends on the window. */
    public SqsEventSourceConfig withBatching(int size, int windowSeconds) {
        return new SqsEventSourceConfig(functionName, queue, size, windowSeconds, functionResponseTypes,
                maximumConcurrency, enabled);
    }

    public SqsEventSourceConfig withReportBatchItemFailures() {
        return new SqsEventSourceConfig(functionName, queue, batchSize, maximumBatchingWindowInSeconds,
                List.of(REPORT_BATCH_ITEM_FAILURES), maximumConcurrency, enabled);
    }

    public SqsEventSourceConfig withMaximumConcurrency(int concurrency) {
        return new SqsEventSourceConfig(functionName, queue, batchSize, maximumBatchingWindowInSeconds,
                functionResponseTypes, concurrency, enabled);
    }

    public SqsEventSourceConfig withEnabled(boolean on) {
        return new SqsEventSourceConfig(functionName, queue, batchSize, maximumBatchingWindowInSeconds,
                functionResponseTypes, maximumConcurrency, on);
    }

    /** Whether the function answers with {@code batchItemFailures} rather than all-or-nothing. */
    public boolean reportsBatchItemFailures() {
        return functionResponseTypes.contains(REPORT_BATCH_ITEM_FAILURES);
    }

    /** A short name for logs: {@code queue → function}. */
    public String describe() {
        return queue.queueName() + " → " + functionName;
    }

    private static int intOr(Object value, String field, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return Math.toIntExact(((Number) value).longValue());
        }
        if (value instanceof String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new InvalidMappingException(field, "must be an integer, got " + value);
    }

    private static boolean booleanOr(Object value, String field, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        if ("true".equalsIgnoreCase(String.valueOf(value)) || "false".equalsIgnoreCase(String.valueOf(value))) {
            return Boolean.parseBoolean(String.valueOf(value));
        }
        throw new InvalidMappingException(field, "must be true or false, got " + value);
    }

    private static List<String> stringList(Object value, String field) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new InvalidMappingException(field, "must be a list of strings, got " + value);
    }
}
