package dev.relay.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.Json;
import dev.relay.core.agent.UnroutedEventException;
import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LlmException;
import dev.relay.core.observe.EventMetrics;
import dev.relay.core.retry.Backoff;
import dev.relay.core.worker.EmbeddedSqs.Invocation;
import dev.relay.core.worker.EmbeddedSqs.Queue;
import dev.relay.core.worker.EmbeddedSqs.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The worker with {@link SqsRedelivery} against embedded ElasticMQ, driven as Lambda's event source mapping drives it. */
class SqsRedeliveryTest {

    /** Small enough that a test waits seconds; the receive count's ceilings are 1 s, 2 s, 4 s. */
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    /** Jitter pinned to the top: every delay is the ceiling. */
    private static final RandomGenerator HIGHEST = new PinnedJitter(true);
    /** Jitter pinned to the bottom: every failed message is visible again at once. */
    private static final RandomGenerator LOWEST = new PinnedJitter(false);
    /** Long enough that a message seen again within a test came back through the backoff, not the queue's timeout. */
    private static final int QUEUE_VISIBILITY_SECONDS = 30;

    private static EmbeddedSqs sqs;

    /** Event ids in the order the processor saw them, failed attempts included. */
    private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        sqs = new EmbeddedSqs();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @Test
    void batchWithTwoPoisonedMessagesReportsExactlyThoseTwo() {
        Queue queue = sqs.queue("orders", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "" + QUEUE_VISIBILITY_SECONDS));
        List<String> poisoned = new ArrayList<>();
        Map<String, String> eventIds = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            Envelope event = event("order.created", i == 3 || i == 7);
            String messageId = sqs.send(queue, event.toJson(), identity(event));
            eventIds.put(messageId, event.id());
            if (i == 3 || i == 7) {
                poisoned.add(messageId);
            }
        }

        Invocation invocation = sqs.deliver(queue, worker(this::failWhenPoisoned, HIGHEST));

        assertThat(invocation.batch()).hasSize(10);
        assertThat(invocation.failedIds()).containsExactlyInAnyOrderElementsOf(poisoned);
        assertThat(attempts).hasSize(10).doesNotHaveDuplicates();
        assertThat(sqs.size(queue)).as("messages left on the queue").isEqualTo(2);
        List<Message> back = sqs.receive(queue, 2, Duration.ofSeconds(3));
        assertThat(back).extracting(Message::messageId).containsExactlyInAnyOrderElementsOf(poisoned);
        assertThat(back).allSatisfy(message ->
                assertThat(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isEqualTo("2"));
    }

    @Test
    void retryableFailureStaysHiddenForTheCeilingOfItsReceiveCount() {
        Queue queue = sqs.queue("slow", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "" + QUEUE_VISIBILITY_SECONDS));
        Envelope event = event("order.created", true);
        sqs.send(queue, event.toJson(), identity(event));
        QueueWorker worker = worker(this::failWhenPoisoned, HIGHEST);
        List<Message> batch = sqs.receive(queue);

        for (int receive = 1; receive <= 2; receive++) {
            assertThat(batch).singleElement().extracting(SqsRedeliveryTest::receiveOf).isEqualTo(receive);
            Instant before = Instant.now();
            assertThat(sqs.invoke(queue, worker, batch).getBatchItemFailures()).hasSize(1);
            Instant after = Instant.now();
            Duration ceiling = BACKOFF.ceiling(receive);

            Received back = sqs.receiveWithin(queue, ceiling.plusSeconds(2));

            assertThat(back.messages()).as("back after receive %d", receive).hasSize(1);
            assertThat(Duration.between(before, back.at())).as("hidden for the ceiling").isGreaterThanOrEqualTo(ceiling);
            assertThat(Duration.between(after, back.at())).as("and no longer")
                    .isLessThan(ceiling.plusMillis(1_000));
            batch = back.messages();
        }
        assertThat(batch).singleElement().extracting(SqsRedeliveryTest::receiveOf).isEqualTo(3);
    }

    @Test
    void jitteredVisibilityStaysWithinZeroAndTheCeiling() {
        SqsRedelivery redelivery = new SqsRedelivery(sqs.sqs, SqsRedelivery.DEFAULT_BACKOFF, new SplittableRandom(7));
        for (int receive = 1; receive <= 12; receive++) {
            long ceiling = SqsRedelivery.DEFAULT_BACKOFF.ceiling(receive).toSeconds();
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                int seconds = redelivery.visibilityTimeout(receive);
                assertThat(seconds).isBetween(0, (int) ceiling);
                seen.add(seconds);
            }
            assertThat(seen).as("receive %d", receive).contains(0, (int) ceiling);
        }
        assertThat(SqsRedelivery.DEFAULT_BACKOFF.ceiling(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SqsRedelivery.DEFAULT_BACKOFF.ceiling(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void backoffBeyondTheVisibilityLimitOfSqsIsRefused() {
        assertThatThrownBy(() -> new SqsRedelivery(sqs.sqs, new Backoff(Duration.ofSeconds(1), Duration.ofHours(13))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 hour");
    }

    @Test
    void permanentFailuresGoToTheDeadLetterQueueOnTheirFirstReceive() {
        Queue deadLetters = sqs.queue("orders-dlq", Map.of());
        Queue queue = sqs.queue("orders", QUEUE_VISIBILITY_SECONDS, deadLetters, 5);
        Map<String, MessageAttributeValue> invalidAttributes = Map.of(
                "type", text("order.created"), "id", text("evt-1"), "correlationid", text("flow-1"),
                "tenant", text("acme"), "priority", MessageAttributeValue.builder().dataType("Number").stringValue("3").build(),
                "signature", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff})).build());
        sqs.send(queue, "{not an event", invalidAttributes);
        Envelope unknown = event("nobody.handles", false);
        sqs.send(queue, unknown.toJson(), identity(unknown));
        Envelope refused = event("model.refuses", false);
        sqs.send(queue, refused.toJson(), identity(refused));

        Invocation invocation = sqs.deliver(queue, worker(event -> {
            switch (event.type()) {
                case "nobody.handles" -> throw new UnroutedEventException(event.type(), Set.of("order.created"));
                case "model.refuses" -> throw new LlmException("model call failed: HTTP 400 invalid_request", false, 1, null);
                default -> { }
            }
        }, HIGHEST));

        assertThat(invocation.batch()).hasSize(3);
        assertThat(invocation.failedIds()).as("dead-lettered messages are done").isEmpty();
        assertThat(sqs.size(queue)).as("left on the source queue").isZero();
        Map<String, Message> dead = byOriginalBody(sqs.receive(deadLetters, 3, Duration.ofSeconds(2)));
        assertThat(dead).hasSize(3);

        Message invalidDead = dead.get("{not an event");
        assertThat(invalidDead.messageAttributes()).containsAllEntriesOf(invalidAttributes);
        assertRelayAttributes(invalidDead, "InvalidEventException", queue);
        assertThat(invalidDead.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isEqualTo("1");

        Message unroutedDead = dead.get(unknown.toJson());
        assertThat(unroutedDead.messageAttributes()).containsAllEntriesOf(identity(unknown));
        assertRelayAttributes(unroutedDead, "UnroutedEventException", queue);
        assertThat(reasonOf(unroutedDead)).contains("nobody.handles");

        Message refusedDead = dead.get(refused.toJson());
        assertRelayAttributes(refusedDead, "LlmException", queue);
        assertThat(reasonOf(refusedDead)).isEqualTo("model call failed: HTTP 400 invalid_request");
    }

    @Test
    void deadLetterKeepsTheRelayAttributesAndTheOriginalsThatFit() {
        Queue deadLetters = sqs.queue("crowded-dlq", Map.of());
        Queue queue = sqs.queue("crowded", QUEUE_VISIBILITY_SECONDS, deadLetters, 5);
        Envelope event = event("nobody.handles", false);
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(identity(event));
        for (String name : List.of("a1", "a2", "a3", "a4", "a5", "a6")) {
            attributes.put(name, text(name + "-value"));
        }
        sqs.send(queue, event.toJson(), attributes);
        String longReason = "x".repeat(300) + "\u0000 and the rest";

        sqs.deliver(queue, worker(ignored -> {
            throw new UnroutedEventException(longReason, Set.of());
        }, HIGHEST));

        Message dead = sqs.receive(deadLetters, 1, Duration.ofSeconds(2)).get(0);
        assertThat(dead.body()).isEqualTo(event.toJson());
        assertThat(dead.messageAttributes().keySet()).containsExactlyInAnyOrder(
                SqsRedelivery.ERROR_TYPE, SqsRedelivery.ERROR_REASON, SqsRedelivery.SOURCE_QUEUE,
                SqsRedelivery.RECEIVE_COUNT, "type", "id", "correlationid", "a1", "a2", "a3");
        assertThat(reasonOf(dead)).hasSize(SqsRedelivery.MAX_REASON_LENGTH + 1).endsWith("x…");
    }

    @Test
    void fifoMessageKeepsItsGroupInTheFifoDeadLetterQueue() {
        Queue deadLetters = sqs.queue("payments-dlq.fifo", Map.of());
        Queue queue = sqs.queue("payments.fifo", QUEUE_VISIBILITY_SECONDS, deadLetters, 5);
        String messageId = sqs.send(SendMessageRequest.builder().queueUrl(queue.url()).messageBody("{not an event")
                .messageGroupId("customer-42").messageDeduplicationId("dedup-1")
                .messageAttributes(Map.of("type", text("payment.requested"))).build());

        Invocation invocation = sqs.deliver(queue, worker(event -> { }, HIGHEST));

        assertThat(invocation.failedIds()).isEmpty();
        Message dead = sqs.receive(deadLetters, 1, Duration.ofSeconds(2)).get(0);
        assertThat(dead.body()).isEqualTo("{not an event");
        assertThat(dead.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("customer-42");
        assertThat(dead.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).isEqualTo(messageId);
        assertThat(dead.messageAttributes()).containsEntry("type", text("payment.requested"));
        assertThat(sqs.size(queue)).isZero();
    }

    @Test
    void retryableFailureSitsInTheDeadLetterQueueAfterMaxReceiveCount() {
        Queue deadLetters = sqs.queue("flaky-dlq", Map.of());
        Queue queue = sqs.queue("flaky", 1, deadLetters, 2);
        Envelope event = event("order.created", true);
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(identity(event));
        attributes.put("tenant", text("acme"));
        String messageId = sqs.send(queue, event.toJson(), attributes);
        QueueWorker worker = worker(this::failWhenPoisoned, LOWEST);

        for (int poll = 0; poll < 20 && sqs.size(deadLetters) == 0; poll++) {
            Invocation invocation = sqs.deliver(queue, worker);
            assertThat(invocation.failedIds()).isEqualTo(invocation.batch().stream().map(Message::messageId).toList());
        }

        assertThat(attempts).as("one attempt per receive").hasSize(2);
        assertThat(sqs.size(queue)).isZero();
        Message dead = sqs.receive(deadLetters, 1, Duration.ofSeconds(2)).get(0);
        assertThat(dead.messageId()).isEqualTo(messageId);
        assertThat(dead.body()).isEqualTo(event.toJson());
        assertThat(dead.messageAttributes()).isEqualTo(attributes);
    }

    @Test
    void withoutRedrivePolicyAPermanentFailureIsReportedFailedAndKept() {
        Queue queue = sqs.queue("no-dlq", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "" + QUEUE_VISIBILITY_SECONDS));
        String messageId = sqs.send(queue, "{not an event", Map.of("type", text("order.created")));

        Invocation invocation = sqs.deliver(queue, worker(event -> { }, LOWEST));

        assertThat(invocation.failedIds()).containsExactly(messageId);
        List<Message> back = sqs.receive(queue, 1, Duration.ofSeconds(2));
        assertThat(back).singleElement().satisfies(message -> {
            assertThat(message.messageId()).isEqualTo(messageId);
            assertThat(message.body()).isEqualTo("{not an event");
            assertThat(message.messageAttributes()).containsEntry("type", text("order.created"));
        });
    }

    @Test
    void deadLetterQueueThatIsGoneLeavesTheMessageOnItsQueue() {
        Queue deadLetters = sqs.queue("deleted-dlq", Map.of());
        Queue queue = sqs.queue("orphaned", QUEUE_VISIBILITY_SECONDS, deadLetters, 5);
        sqs.sqs.deleteQueue(request -> request.queueUrl(deadLetters.url()));
        String messageId = sqs.send(queue, "{not an event", Map.of());

        Invocation invocation = sqs.deliver(queue, worker(event -> { }, LOWEST));

        assertThat(invocation.failedIds()).containsExactly(messageId);
        assertThat(sqs.receive(queue, 1, Duration.ofSeconds(2))).extracting(Message::messageId).containsExactly(messageId);
    }

    @Test
    void staleReceiptHandleStillReportsTheMessageFailed() {
        Queue queue = sqs.queue("stale", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "" + QUEUE_VISIBILITY_SECONDS));
        Envelope event = event("order.created", true);
        sqs.send(queue, event.toJson(), identity(event));
        List<Message> batch = sqs.receive(queue);
        sqs.sqs.deleteMessage(request -> request.queueUrl(queue.url()).receiptHandle(batch.get(0).receiptHandle()));

        var response = worker(this::failWhenPoisoned, HIGHEST).process(EmbeddedSqs.event(queue, batch));

        assertThat(response.getBatchItemFailures()).extracting(f -> f.getItemIdentifier())
                .containsExactly(batch.get(0).messageId());
    }

    private QueueWorker worker(EventProcessor processor, RandomGenerator jitter) {
        EventProcessor recording = event -> {
            attempts.add(event.id());
            processor.process(event);
        };
        return new QueueWorker(recording, new SqsRedelivery(sqs.sqs, BACKOFF, jitter), new EventMetrics());
    }

    private void failWhenPoisoned(Envelope event) {
        if (event.data().path("poisoned").asBoolean()) {
            throw new IllegalStateException("the downstream service is unavailable");
        }
    }

    private static Envelope event(String type, boolean poisoned) {
        return Envelope.create(type, "urn:test", Json.object().put("poisoned", poisoned));
    }

    /** The attributes Relay's publisher puts on every message. */
    private static Map<String, MessageAttributeValue> identity(Envelope event) {
        return Map.of("type", text(event.type()), "id", text(event.id()), "correlationid", text(event.correlationId()));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static int receiveOf(Message message) {
        return Integer.parseInt(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
    }

    private static String reasonOf(Message message) {
        return message.messageAttributes().get(SqsRedelivery.ERROR_REASON).stringValue();
    }

    private static void assertRelayAttributes(Message dead, String errorType, Queue source) {
        assertThat(dead.messageAttributes().get(SqsRedelivery.ERROR_TYPE).stringValue()).isEqualTo(errorType);
        assertThat(reasonOf(dead)).isNotBlank().doesNotContain("\tat ");
        assertThat(dead.messageAttributes().get(SqsRedelivery.SOURCE_QUEUE).stringValue()).isEqualTo(source.arn());
        assertThat(dead.messageAttributes().get(SqsRedelivery.RECEIVE_COUNT))
                .isEqualTo(MessageAttributeValue.builder().dataType("Number").stringValue("1").build());
    }

    private static Map<String, Message> byOriginalBody(List<Message> messages) {
        Map<String, Message> byBody = new LinkedHashMap<>();
        messages.forEach(message -> byBody.put(message.body(), message));
        return byBody;
    }

    /** A jitter source that always draws the highest (or lowest) value {@link Backoff#delay} can ask for. */
    private record PinnedJitter(boolean highest) implements RandomGenerator {

        @Override
        public long nextLong() {
            return highest ? Long.MAX_VALUE : 0;
        }

        @Override
        public long nextLong(long bound) {
            return highest ? bound - 1 : 0;
        }
    }
}
