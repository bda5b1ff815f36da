package dev.relay.local.esm;

import static dev.relay.local.esm.RecordingFunction.error;
import static dev.relay.local.esm.RecordingFunction.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.local.esm.LocalSqs.Queue;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.lambda.UnknownFunctionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SQS → Lambda mappings against a real ElasticMQ through the real SDK; the function is a {@link RecordingFunction}. */
class SqsEventSourceMappingTest {

    private static final Duration SOON = Duration.ofSeconds(5);

    private static LocalSqs local;

    @BeforeAll
    static void startSqs() {
        local = new LocalSqs();
    }

    @AfterAll
    static void stopSqs() {
        local.close();
    }

    private static SqsEventSourceMapping start(SqsEventSourceConfig config, Queue queue, RecordingFunction function) {
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(config, queue.url(), local.sqs, function);
        mapping.start();
        return mapping;
    }

    @Test
    void theEventIsWhatLambdaSendsAndParsesAsSqsEvent() throws Exception {
        Queue queue = local.queue("shape", 30);
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        String messageId = local.sqs.sendMessage(request -> request.queueUrl(queue.url()).messageBody("{\"hello\":1}")
                .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder().dataType("String").stringValue(trace).build()))
                .messageAttributes(Map.of(
                        "type", MessageAttributeValue.builder().dataType("String").stringValue("deploy.completed").build(),
                        "attempt", MessageAttributeValue.builder().dataType("Number").stringValue("3").build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255})).build(),
                        "tenant", MessageAttributeValue.builder().dataType("String.tenant").stringValue("acme").build())))
                .messageId();
        RecordingFunction function = RecordingFunction.succeeding("shape-fn");

        try (var mapping = start(SqsEventSourceConfig.of("shape-fn", queue.arn()), queue, function)) {
            Eventually.within(SOON, () -> assertThat(function.events).hasSize(1));
        }

        SQSEvent.SQSMessage record = function.events.getFirst().getRecords().getFirst();
        assertThat(record.getMessageId()).isEqualTo(messageId);
        assertThat(record.getReceiptHandle()).isNotBlank();
        assertThat(record.getBody()).isEqualTo("{\"hello\":1}");
        assertThat(record.getMd5OfBody()).isEqualTo(md5("{\"hello\":1}"));
        assertThat(record.getMd5OfMessageAttributes()).matches("[0-9a-f]{32}");
        assertThat(record.getEventSource()).isEqualTo("aws:sqs");
        assertThat(record.getEventSourceArn()).isEqualTo(queue.arn());
        assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(record.getAttributes())
                .containsEntry("ApproximateReceiveCount", "1")
                .containsEntry("AWSTraceHeader", trace)
                .containsKeys("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        assertThat(Long.parseLong(record.getAttributes().get("SentTimestamp")))
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

        Map<String, SQSEvent.MessageAttribute> attributes = record.getMessageAttributes();
        assertThat(attributes).containsOnlyKeys("type", "attempt", "blob", "tenant");
        assertThat(attributes.get("type").getStringValue()).isEqualTo("deploy.completed");
        assertThat(attributes.get("type").getDataType()).isEqualTo("String");
        assertThat(attributes.get("attempt").getStringValue()).isEqualTo("3");
        assertThat(attributes.get("attempt").getDataType()).isEqualTo("Number");
        assertThat(attributes.get("tenant").getDataType()).isEqualTo("String.tenant");
        assertThat(attributes.get("blob").getDataType()).isEqualTo("Binary");
        assertThat(attributes.get("blob").getStringValue()).isNull();
        assertThat(attributes.get("blob").getBinaryValue()).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}));
        assertThat(attributes.get("type").getStringListValues()).isEmpty();
        assertThat(attributes.get("type").getBinaryListValues()).isEmpty();

        // The raw JSON as well: Lambda always sends both list fields, and names the ARN field eventSourceARN.
        assertThat(function.payloads.getFirst())
                .startsWith("{\"Records\":[{\"messageId\":")
                .contains("\"stringListValues\":[],\"binaryListValues\":[]")
                .contains("\"binaryValue\":\"AAEC/w==\"")
                .contains("\"eventSourceARN\":\"" + queue.arn() + "\"");
    }

    @Test
    void batchSizeIsRespected() {
        Queue queue = local.queue("batch-size", 30);
        local.send(queue, "1", "2", "3", "4", "5", "6", "7");
        RecordingFunction function = RecordingFunction.succeeding("batch-size-fn");

        try (var mapping = start(SqsEventSourceConfig.of("batch-size-fn", queue.arn()).withBatching(3, 0), queue, function)) {
            Eventually.within(SOON, () -> assertThat(function.bodies()).hasSize(7));
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(7));
        }

        assertThat(function.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 3));
        assertThat(function.bodies()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7");
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void theBatchingWindowGathersMessagesSentOverTimeIntoOneEvent() {
        Queue queue = local.queue("window", 30);
        RecordingFunction function = RecordingFunction.succeeding("window-fn");
        var config = SqsEventSourceConfig.of("window-fn", queue.arn()).withBatching(100, 1);

        try (var mapping = start(config, queue, function)) {
            for (int i = 1; i <= 12; i++) {
                local.send(queue, "m" + i);
                RecordingFunction.sleep(20);
            }
            Eventually.within(SOON, () -> assertThat(function.bodies()).hasSize(12));
        }

        assertThat(function.batchSizes()).as("12 messages over ~0.3 s, a 1 s window, room for 100").containsExactly(12);
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void aMessageSentToAnIdleQueueIsInvokedWellWithinTheLongPollWait() {
        Queue queue = local.queue("wake", 30);
        List<Long> invokedAt = new CopyOnWriteArrayList<>();
        RecordingFunction recording = RecordingFunction.succeeding("wake-fn");
        dev.relay.local.lambda.FunctionInvoker timed = (name, payload) -> {
            invokedAt.add(System.nanoTime());
            return recording.invoke(name, payload);
        };
        long waitMillis = SqsEventSourceMapping.POLL_WAIT_SECONDS * 1000L;
        List<Long> latencies = new java.util.ArrayList<>();
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(SqsEventSourceConfig.of("wake-fn", queue.arn()),
                queue.url(), local.sqs, timed);
        mapping.start();
        try (mapping) {
            for (int i = 0; i < 7; i++) {
                RecordingFunction.sleep(300); // the poller is waiting in a receive by now
                long sent = System.nanoTime();
                local.send(queue, "m" + i);
                int expected = i + 1;
                Eventually.within(SOON, () -> assertThat(invokedAt).hasSize(expected));
                latencies.add((invokedAt.get(i) - sent) / 1_000_000);
            }
        }
        // A poller that slept between short polls would invoke each message at a random point of its wait: 7 times
        // in the first half has a chance of 1 in 128.
        assertThat(latencies).as("send -> invoke, ms; the long poll waits %d ms", waitMillis)
                .allSatisfy(ms -> assertThat(ms).isLessThan(waitMillis / 2));
    }

    @Test
    void inABatchingWindowThePollerWaitsForReportedSendsInsteadOfPollingEvery100Ms() {
        Queue queue = local.queue("signalled", 30);
        QueueSignals signals = new QueueSignals();
        RecordingFunction function = RecordingFunction.succeeding("signalled-fn");
        var config = SqsEventSourceConfig.of("signalled-fn", queue.arn()).withBatching(3, 1);
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(config, queue.url(), local.sqs, function, signals);
        mapping.start();
        long empty;
        try (mapping) {
            RecordingFunction.sleep(200);
            for (int i = 1; i <= 3; i++) {
                local.send(queue, "m" + i);
                signals.sent(QueueSignals.queueName(queue.url()));
                RecordingFunction.sleep(i < 3 ? 300 : 0);
            }
            Eventually.within(SOON, () -> assertThat(function.bodies()).hasSize(3));
            empty = mapping.stats().emptyReceiveRequests();
        }
        assertThat(function.batchSizes()).as("3 messages in 0.6 s of a 1 s window, batch size 3").containsExactly(3);
        // short polls every 100 ms would make about 6 empty receives in those 0.6 s; told of the sends, it makes
        // one after each message it received
        assertThat(empty).as("empty receives while the batch filled").isLessThanOrEqualTo(3);
    }

    @Test
    void aSendThePollerIsNotToldOfIsReceivedWhenTheWindowCloses() {
        Queue queue = local.queue("untold", 30);
        QueueSignals signals = new QueueSignals();
        RecordingFunction function = RecordingFunction.succeeding("untold-fn");
        var config = SqsEventSourceConfig.of("untold-fn", queue.arn()).withBatching(10, 1);
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(config, queue.url(), local.sqs, function, signals);
        mapping.start();
        try (mapping) {
            RecordingFunction.sleep(200);
            local.send(queue, "told");
            signals.sent(QueueSignals.queueName(queue.url()));
            RecordingFunction.sleep(300);
            local.send(queue, "untold");
            Eventually.within(SOON, () -> assertThat(function.bodies()).hasSize(2));
        }
        assertThat(function.batchSizes()).containsExactly(2);
    }

    @Test
    void withoutAWindowEachReceiveIsInvokedAtOnce() {
        Queue queue = local.queue("no-window", 30);
        RecordingFunction function = RecordingFunction.succeeding("no-window-fn");

        try (var mapping = start(SqsEventSourceConfig.of("no-window-fn", queue.arn()), queue, function)) {
            local.send(queue, "first");
            Eventually.within(SOON, () -> assertThat(function.bodies()).containsExactly("first"));
            local.send(queue, "second");
            Eventually.within(SOON, () -> assertThat(function.bodies()).containsExactly("first", "second"));
        }
        assertThat(function.batchSizes()).containsExactly(1, 1);
    }

    @Test
    void aSuccessfulInvocationDeletesTheWholeBatch() {
        Queue queue = local.queue("success", 30);
        local.send(queue, "a", "b", "c");
        RecordingFunction function = RecordingFunction.succeeding("success-fn");

        try (var mapping = start(SqsEventSourceConfig.of("success-fn", queue.arn()), queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(3));
            assertThat(mapping.stats().batchesFailed()).isZero();
        }
        assertThat(local.visible(queue)).isZero();
        assertThat(local.inFlight(queue)).isZero();
    }

    @Test
    void aFunctionErrorLeavesTheBatchAndItComesBackAfterTheVisibilityTimeout() {
        Queue queue = local.queue("retry", 1);
        local.send(queue, "x", "y", "z");
        List<Long> invokedAt = new CopyOnWriteArrayList<>();
        RecordingFunction function = new RecordingFunction("retry-fn", event -> {
            invokedAt.add(System.nanoTime());
            boolean firstDelivery = event.getRecords().stream()
                    .anyMatch(record -> record.getAttributes().get("ApproximateReceiveCount").equals("1"));
            return firstDelivery ? error("boom") : ok("null");
        });

        try (var mapping = start(SqsEventSourceConfig.of("retry-fn", queue.arn()), queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().batchesFailed()).isGreaterThanOrEqualTo(1));
            assertThat(local.inFlight(queue)).as("nothing deleted after the error").isEqualTo(3);

            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(3));
            assertThat(mapping.stats().messagesFailed()).isEqualTo(3);
        }

        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
        SQSEvent retry = function.events.getLast();
        assertThat(retry.getRecords()).allSatisfy(
                record -> assertThat(record.getAttributes()).containsEntry("ApproximateReceiveCount", "2"));
        assertThat(Duration.ofNanos(invokedAt.getLast() - invokedAt.getFirst()))
                .as("redelivered only once the 1 s visibility timeout ran out")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aPartialBatchResponseDeletesOnlyTheMessagesThatSucceeded() {
        Queue queue = local.queue("partial", 30);
        local.send(queue, "ok-1", "bad", "ok-2", "ok-3");
        RecordingFunction function = new RecordingFunction("partial-fn", event -> ok(failures(event.getRecords().stream()
                .filter(record -> record.getBody().equals("bad")).map(SQSEvent.SQSMessage::getMessageId).toList())));
        var config = SqsEventSourceConfig.of("partial-fn", queue.arn()).withReportBatchItemFailures()
                .withBatching(10, 1);

        try (var mapping = start(config, queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(3));
            assertThat(mapping.stats().messagesFailed()).isEqualTo(1);
            assertThat(mapping.stats().batchesFailed()).isZero();
        }

        assertThat(local.visible(queue)).isZero();
        assertThat(local.inFlight(queue)).as("only the failed item stays, waiting for its visibility timeout").isEqualTo(1);
    }

    @Test
    void aPartialBatchResponseIsIgnoredWithoutReportBatchItemFailures() {
        Queue queue = local.queue("ignored-partial", 30);
        local.send(queue, "a", "b");
        RecordingFunction function = new RecordingFunction("ignored-partial-fn", event ->
                ok(failures(List.of(event.getRecords().getFirst().getMessageId()))));

        try (var mapping = start(SqsEventSourceConfig.of("ignored-partial-fn", queue.arn()), queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(2));
        }
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "this is not JSON",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"not-a-message-of-this-batch\"}]}"})
    void aMalformedBatchResponseFailsTheWholeBatch(String response) {
        Queue queue = local.queue("malformed", 30);
        local.send(queue, "a", "b", "c");
        RecordingFunction function = new RecordingFunction("malformed-fn", event -> ok(response));
        var config = SqsEventSourceConfig.of("malformed-fn", queue.arn()).withReportBatchItemFailures();

        try (var mapping = start(config, queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesFailed()).isEqualTo(3));
            assertThat(mapping.stats().messagesDeleted()).isZero();
        }
        assertThat(local.inFlight(queue)).as("all three left for the visibility timeout").isEqualTo(3);
    }

    @Test
    void anEventNeverPassesLambdasSixMegabytePayloadLimit() {
        Queue queue = local.queue("large", 30);
        String body = "x".repeat(250_000);
        for (int i = 0; i < 30; i++) {
            local.send(queue, i + body);
        }
        RecordingFunction function = RecordingFunction.succeeding("large-fn");
        var config = SqsEventSourceConfig.of("large-fn", queue.arn()).withBatching(100, 1);

        try (var mapping = start(config, queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(30));
        }

        assertThat(function.payloads).allSatisfy(payload ->
                assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(6 * 1024 * 1024));
        assertThat(function.batchSizes()).hasSizeGreaterThan(1);
        assertThat(function.bodies()).hasSize(30).doesNotHaveDuplicates();
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void aPoisonMessageIsRedrivenToTheDlqWithItsBodyIntact() {
        Queue dlq = local.queue("dlq", 30);
        Queue queue = local.queue("poisoned", Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlq.arn() + "\",\"maxReceiveCount\":\"2\"}"));
        String poison = "{\"event_type\":\"deploy.completed\",\"payload\":{\"service\":\"checkout\",\"note\":\"ünïcødé\"}}";
        local.send(queue, "fine", poison);
        AtomicInteger poisonDeliveries = new AtomicInteger();
        RecordingFunction function = new RecordingFunction("poisoned-fn", event -> {
            List<String> failed = event.getRecords().stream().filter(record -> record.getBody().equals(poison))
                    .map(SQSEvent.SQSMessage::getMessageId).toList();
            poisonDeliveries.addAndGet(failed.size());
            return ok(failures(failed));
        });
        var config = SqsEventSourceConfig.of("poisoned-fn", queue.arn()).withReportBatchItemFailures();

        try (var mapping = start(config, queue, function)) {
            Eventually.within(Duration.ofSeconds(8), () -> assertThat(local.visible(dlq)).isEqualTo(1));
        }

        assertThat(poisonDeliveries.get()).as("maxReceiveCount deliveries, then the DLQ").isEqualTo(2);
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
        List<Message> dead = local.receiveAll(dlq);
        assertThat(dead).extracting(Message::body).containsExactly(poison);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void noMoreBatchesAreInFlightThanMaximumConcurrency(int maximumConcurrency) {
        Queue queue = local.queue("concurrency", 30);
        for (int i = 0; i < 4 * maximumConcurrency; i++) {
            local.send(queue, "m" + i);
        }
        RecordingFunction function = new RecordingFunction("concurrency-fn", event -> {
            RecordingFunction.sleep(150);
            return ok("null");
        });
        var config = SqsEventSourceConfig.of("concurrency-fn", queue.arn()).withBatching(1, 0)
                .withMaximumConcurrency(maximumConcurrency);

        try (var mapping = start(config, queue, function)) {
            Eventually.within(SOON, () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(4L * maximumConcurrency));
        }
        assertThat(function.peakConcurrency()).isEqualTo(maximumConcurrency);
    }

    @Test
    void fifoQueuesKeepOrderWithinEachGroupAndOneBatchPerGroupInFlight() {
        Queue queue = local.queue("orders.fifo", 1);
        List<String> groups = List.of("A", "B", "C");
        for (int i = 1; i <= 6; i++) {
            for (String group : groups) {
                String body = group + "-" + i;
                local.sqs.sendMessage(request -> request.queueUrl(queue.url()).messageBody(body).messageGroupId(group));
            }
        }
        Set<String> groupsInFlight = ConcurrentHashMap.newKeySet();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        AtomicInteger failedOnce = new AtomicInteger();
        RecordingFunction function = new RecordingFunction("orders-fn", event -> {
            Set<String> batchGroups = event.getRecords().stream()
                    .map(record -> record.getAttributes().get("MessageGroupId")).collect(Collectors.toSet());
            for (String group : batchGroups) {
                if (!groupsInFlight.add(group)) {
                    overlaps.add(group);
                }
            }
            try {
                RecordingFunction.sleep(30);
                boolean holdsB3 = event.getRecords().stream().anyMatch(record -> record.getBody().equals("B-3"));
                if (holdsB3 && failedOnce.getAndIncrement() == 0) {
                    return error("B-3 fails on its first delivery");
                }
                event.getRecords().forEach(record -> processed.add(record.getBody()));
                return ok("null");
            } finally {
                groupsInFlight.removeAll(batchGroups);
            }
        });
        var config = SqsEventSourceConfig.of("orders-fn", queue.arn()).withBatching(2, 0).withMaximumConcurrency(4);

        try (var mapping = start(config, queue, function)) {
            Eventually.within(Duration.ofSeconds(8), () -> assertThat(processed).hasSize(18));
        }

        assertThat(overlaps).as("groups with two batches in flight at once").isEmpty();
        assertThat(failedOnce.get()).as("B-3's batch failed once and was retried").isGreaterThanOrEqualTo(2);
        for (String group : groups) {
            assertThat(processed.stream().filter(body -> body.startsWith(group + "-")).toList())
                    .as("group " + group + " in send order")
                    .containsExactly(group + "-1", group + "-2", group + "-3", group + "-4", group + "-5", group + "-6");
        }
        assertThat(function.events).allSatisfy(event -> assertThat(event.getRecords().getFirst().getAttributes())
                .containsKeys("MessageGroupId", "SequenceNumber", "MessageDeduplicationId"));
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void aFifoGroupRedeliveredDuringASlowInvocationWaitsForIt() {
        Queue queue = local.queue("slow.fifo", 1);
        local.sqs.sendMessage(request -> request.queueUrl(queue.url()).messageBody("A-1").messageGroupId("A"));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        RecordingFunction function = new RecordingFunction("slow-fn", event -> {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                // Outlive the 1 s visibility timeout once: SQS hands A-1 out again while this batch still runs.
                RecordingFunction.sleep(calls.incrementAndGet() == 1 ? 1600 : 10);
                return ok("null");
            } finally {
                running.decrementAndGet();
            }
        });

        try (var mapping = start(SqsEventSourceConfig.of("slow-fn", queue.arn()), queue, function)) {
            Eventually.within(SOON, () -> assertThat(function.events).hasSize(2));
            Eventually.within(SOON, () -> assertThat(mapping.stats().inFlight()).isZero());
        }

        assertThat(overlaps.get()).as("batches of group A in flight at once").isZero();
        assertThat(function.events.getLast().getRecords().getFirst().getAttributes())
                .containsEntry("ApproximateReceiveCount", "2");
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void closeStopsAnIdlePollerPromptlyAndLosesNoMessage() {
        Queue queue = local.queue("close", 30);
        RecordingFunction function = RecordingFunction.succeeding("close-fn");
        SqsEventSourceMapping mapping = start(SqsEventSourceConfig.of("close-fn", queue.arn()), queue, function);
        RecordingFunction.sleep(300); // the poller is now waiting in a receive

        long started = System.nanoTime();
        mapping.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("at most one 1 s receive to finish").isLessThan(Duration.ofMillis(2000));
        assertThat(mapping.stats().state()).isEqualTo(SqsEventSourceMapping.State.CLOSED);
        local.send(queue, "after close");
        RecordingFunction.sleep(300);
        assertThat(function.events).isEmpty();
        assertThat(local.visible(queue)).isEqualTo(1);
    }

    @Test
    void closeLetsTheInFlightInvocationFinishAndDeleteItsBatch() {
        Queue queue = local.queue("drain", 30);
        local.send(queue, "slow");
        RecordingFunction function = new RecordingFunction("drain-fn", event -> {
            RecordingFunction.sleep(700);
            return ok("null");
        });
        SqsEventSourceMapping mapping = start(SqsEventSourceConfig.of("drain-fn", queue.arn()), queue, function);
        Eventually.within(SOON, () -> assertThat(mapping.stats().inFlight()).isEqualTo(1));

        mapping.close();

        assertThat(mapping.stats().inFlight()).isZero();
        assertThat(mapping.stats().messagesDeleted()).isEqualTo(1);
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void anUnknownFunctionDoesNotStopThePoller() {
        Queue queue = local.queue("unknown", 1);
        local.send(queue, "patient");
        AtomicInteger calls = new AtomicInteger();
        List<String> delivered = new CopyOnWriteArrayList<>();
        RecordingFunction function = new RecordingFunction("late-fn", event -> {
            delivered.add(event.getRecords().getFirst().getBody());
            return ok("null");
        });
        // The function "appears" after two attempts, as when its JVM is still being started.
        dev.relay.local.lambda.FunctionInvoker lateInvoker = (name, payload) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new UnknownFunctionException(name);
            }
            return function.invoke(name, payload);
        };
        var mapping = new SqsEventSourceMapping(SqsEventSourceConfig.of("late-fn", queue.arn()), queue.url(), local.sqs,
                lateInvoker);
        mapping.start();
        try (mapping) {
            Eventually.within(Duration.ofSeconds(8), () -> assertThat(mapping.stats().messagesDeleted()).isEqualTo(1));
            assertThat(mapping.stats().batchesFailed()).isEqualTo(2);
        }
        assertThat(delivered).containsExactly("patient");
        assertThat(local.visible(queue) + local.inFlight(queue)).isZero();
    }

    @Test
    void aDisabledMappingDoesNotPoll() {
        Queue queue = local.queue("disabled", 30);
        local.send(queue, "untouched");
        RecordingFunction function = RecordingFunction.succeeding("disabled-fn");

        try (var mapping = start(SqsEventSourceConfig.of("disabled-fn", queue.arn()).withEnabled(false), queue, function)) {
            RecordingFunction.sleep(300);
            assertThat(mapping.stats().state()).isEqualTo(SqsEventSourceMapping.State.DISABLED);
        }
        assertThat(function.events).isEmpty();
        assertThat(local.visible(queue)).isEqualTo(1);
    }

    private static String failures(List<String> messageIds) {
        return messageIds.stream().map(id -> "{\"itemIdentifier\":\"" + id + "\"}")
                .collect(Collectors.joining(",", "{\"batchItemFailures\":[", "]}"));
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
