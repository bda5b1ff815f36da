package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.RecordKind;
import dev.relay.core.audit.Verification;
import dev.relay.embedded.LocalPorts;
import dev.relay.local.faults.FaultInjection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A thousand mixed events (ops events, poison events, signups, orders) through the repository's template on the local
 * cloud while it injects faults: DynamoDB throttling, model rate limits, server errors, timeouts and an outage,
 * function crashes and timeouts part-way through batches, and a restart of the whole local cloud on its data directory
 * half-way. Afterwards every event is accounted for — its effect happened exactly once, or it sits in a DLQ with a
 * reason — and every audit chain verifies.
 *
 * <p>The queues' visibility timeouts are shortened to {@value #VISIBILITY_SECONDS} s (the template's 360 s is 6× the
 * function timeout) so that batches lost to a crash come back within the run. Step Functions executions live in memory
 * in the local cloud, so the restart is taken once the first half's sagas have ended; queues and tables persist.
 */
class FaultInjectionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:relay-events";
    private static final String MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:relay-order-fulfillment";
    private static final int VISIBILITY_SECONDS = 20;
    /** 1,000 by default; {@code -Drelay.faultInjection.events=N} for a shorter or longer run, same mix. */
    private static final int EVENTS = Integer.getInteger("relay.faultInjection.events", 1000);
    private static final int POISON = EVENTS / 50;
    private static final int SIGNUPS = EVENTS * 15 / 100;
    private static final int ORDERS = EVENTS * 15 / 100;
    private static final int OPS = EVENTS - POISON - SIGNUPS - ORDERS;
    private static final List<String> OPS_SAMPLES = List.of("deploy-completed", "deploy-failed", "alert-triggered",
            "alert-sev1", "email-received", "support-ticket-created");

    @TempDir
    Path dir;

    private final FaultInjection faults = new FaultInjection(new FaultInjection.Rates(0.01, 0.03, 0.03, 0.01, 0.015,
            0.01, Duration.ofSeconds(3), Duration.ofMillis(400)), 20261121L);

    private final Map<String, String> kindOf = new LinkedHashMap<>();
    private final Map<String, DeadLetter> deadLetters = new java.util.concurrent.ConcurrentHashMap<>();
    /** Sagas that have ended, with their outcome (the local cloud keeps executions in memory only). */
    private final Map<String, String> sagas = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void everyEventIsProcessedOnceInEffectOrDeadLetteredWithAReason() throws Exception {
        List<ObjectNode> events = events();
        Path data = dir.resolve("data");
        Path functionLog = Path.of("target", "fault-injection-functions.log");
        long begin = System.nanoTime();
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(functionLog))) {
            LocalCloudOptions options = options(data, log);
            List<ObjectNode> first = events.subList(0, events.size() / 2);
            List<ObjectNode> second = events.subList(events.size() / 2, events.size());
            try (LocalCloud cloud = started(options)) {
                stock(cloud);
                publish(cloud, first);
                faults.modelOutage(Duration.ofSeconds(3));
                awaitSagas(cloud, first);
                account(cloud, first); // keeps their outcomes: executions live in memory
            }
            System.out.println("fault injection: local cloud restarted on " + data);
            try (LocalCloud cloud = started(options)) {
                publish(cloud, second);
                awaitAccounted(cloud, events);
                faults.pause();
                report(cloud, events, System.nanoTime() - begin);
            }
        }
    }

    private LocalCloudOptions options(Path data, PrintWriter log) {
        int edge = LocalPorts.free();
        return LocalCloudOptions.defaults(Path.of("..", "template.yaml")).withPorts(edge, LocalPorts.free())
                .withDataDir(Optional.of(data))
                .withParameterOverrides(Map.of("OpenAiBaseUrl", "http://127.0.0.1:" + edge + "/v1",
                        "LlmTimeoutSeconds", "2", "OnboardingDeadlineSeconds", "900"))
                .withParameters(Map.of("/relay/openai-api-key", "sk-local-test"))
                .withTimeScale(50)
                .withConcurrencyLimit(2)
                .withLogSink((function, line) -> {
                    synchronized (log) {
                        log.println(function + " " + line);
                    }
                })
                .withFaults(faults);
    }

    /** Starts the local cloud and shortens the visibility timeout of every queue a function reads. */
    private static LocalCloud started(LocalCloudOptions options) throws Exception {
        LocalCloud cloud = LocalCloud.start(options);
        try (SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl())) {
            for (String url : sqs.listQueues().queueUrls()) {
                if (!url.toLowerCase(java.util.Locale.ROOT).endsWith("dlq")) {
                    sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(
                            Map.of("VisibilityTimeout", Integer.toString(VISIBILITY_SECONDS))));
                }
            }
        }
        return cloud;
    }

    // ------------------------------------------------------------------------------------------------ the events

    private List<ObjectNode> events() throws IOException {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < OPS; i++) {
            events.add(event(OPS_SAMPLES.get(i % OPS_SAMPLES.size()), "fi-ops-" + i, "ops", null));
        }
        for (int i = 0; i < POISON; i++) {
            ObjectNode poison = event("deploy-completed", "fi-poison-" + i, "poison", null);
            ((ObjectNode) poison.get("payload")).put("status", "exploded");
            events.add(poison);
        }
        for (int i = 0; i < SIGNUPS; i++) {
            ObjectNode signup = event("customer-signup", "fi-signup-" + i, "signup", null);
            ((ObjectNode) signup.get("payload")).put("user_id", "fi_user_" + i).put("email", "fi" + i + "@example.com");
            events.add(signup);
        }
        for (int i = 0; i < ORDERS; i++) {
            // every fifth order's carrier declines: that saga rolls back on purpose
            String simulate = i % 5 == 4 ? "{\"risk_review\":\"approve\",\"shipping\":\"declined\"}" : null;
            ObjectNode order = event("order-placed", "fi-order-" + i, "order", simulate);
            ((ObjectNode) order.get("payload")).put("order_id", "fi_ord_" + i);
            events.add(order);
        }
        // interleaved, as they would arrive
        java.util.Collections.shuffle(events, new java.util.Random(7));
        return events;
    }

    private ObjectNode event(String sample, String id, String kind, String simulate) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("..", "events", "messages", sample + ".json")));
        event.put("event_id", id);
        if (simulate != null) {
            ((ObjectNode) event.get("payload")).set("simulate", JSON.readTree(simulate));
        }
        kindOf.put(id, kind);
        return event;
    }

    private static void publish(LocalCloud cloud, List<ObjectNode> events) {
        try (SnsClient sns = Clients.of(SnsClient.builder(), cloud.edgeUrl())) {
            for (int from = 0; from < events.size(); from += 10) {
                List<PublishBatchRequestEntry> batch = new ArrayList<>();
                for (ObjectNode event : events.subList(from, Math.min(from + 10, events.size()))) {
                    batch.add(PublishBatchRequestEntry.builder().id(event.get("event_id").asText().replace('-', '_'))
                            .message(event.toString())
                            .messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String")
                                    .stringValue(event.get("event_type").asText()).build()))
                            .build());
                }
                var response = sns.publishBatch(b -> b.topicArn(TOPIC).publishBatchRequestEntries(batch));
                assertThat(response.failed()).as("SNS refused part of a batch").isEmpty();
            }
        }
    }

    private static void stock(LocalCloud cloud) {
        try (DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl())) {
            dynamo.putItem(b -> b.tableName("relay-inventory").item(Map.of("id", AttributeValue.fromS("BOOK-001"),
                    "stock", AttributeValue.fromN("1000000"))));
        }
    }

    // ------------------------------------------------------------------------------------------------ waiting

    /** Until every order of {@code events} has a finished execution (running ones would not survive the restart). */
    private void awaitSagas(LocalCloud cloud, List<ObjectNode> events) throws InterruptedException {
        List<String> orders = ids(events, "order");
        try (SfnClient sfn = Clients.of(SfnClient.builder(), cloud.edgeUrl())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (System.nanoTime() < deadline) {
                long open = orders.stream().filter(id -> execution(sfn, id).map(e -> e.status() == ExecutionStatus.RUNNING)
                        .orElse(true)).count();
                if (open == 0) {
                    return;
                }
                Thread.sleep(1000);
            }
        }
        throw new AssertionError("the first half's sagas did not all finish in 6 minutes");
    }

    /** Until every event has its outcome, or 8 minutes pass (the report then shows what is missing). */
    private void awaitAccounted(LocalCloud cloud, List<ObjectNode> events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (System.nanoTime() < deadline) {
            Accounting accounting = account(cloud, events);
            if (accounting.unaccounted().isEmpty() && idle(cloud)) {
                return;
            }
            Thread.sleep(5000);
        }
    }

    private static boolean idle(LocalCloud cloud) {
        return cloud.mappings().stats().stream().allMatch(m -> m.inFlight() == 0);
    }

    // ------------------------------------------------------------------------------------------------ accounting

    private record DeadLetter(String queue, String eventId, String reason) {}

    private record Accounting(Map<String, String> outcomes, List<String> unaccounted, Map<String, Long> duplicated,
                              List<DeadLetter> deadLetters, List<AuditRecord> records) {}

    private Accounting account(LocalCloud cloud, List<ObjectNode> events) {
        try (DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl());
             SfnClient sfn = Clients.of(SfnClient.builder(), cloud.edgeUrl());
             SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl())) {
            AuditTable table = new AuditTable(dynamo, cloud.template().ref("AuditTable").orElseThrow(),
                    cloud.template().ref("IdempotencyTable").orElseThrow());
            List<AuditRecord> records = table.all();
            // received records point at the event they are about: one per agent and event, or an effect repeated
            Map<String, Map<String, Long>> received = records.stream().filter(r -> r.kind() == RecordKind.RECEIVED)
                    .collect(Collectors.groupingBy(AuditRecord::causationId,
                            Collectors.groupingBy(AuditRecord::agentId, TreeMap::new, Collectors.counting())));
            Map<String, Long> duplicated = new TreeMap<>();
            received.forEach((event, agents) -> agents.forEach((agent, count) -> {
                if (count > 1) {
                    duplicated.put(agent + " on " + event, count);
                }
            }));
            Map<String, Long> emitted = records.stream().filter(r -> r.kind() == RecordKind.EMITTED)
                    .collect(Collectors.groupingBy(r -> r.stream() + " " + r.eventType(), Collectors.counting()));
            emitted.forEach((key, count) -> {
                if (count > 1 && (key.endsWith(" onboarding.complete") || key.endsWith(" onboarding.stuck"))) {
                    duplicated.put(key, count);
                }
            });
            List<DeadLetter> deadLetters = deadLetters(sqs);
            Set<String> dead = deadLetters.stream().map(DeadLetter::eventId).collect(Collectors.toSet());
            Map<String, String> outcomes = new LinkedHashMap<>();
            List<String> unaccounted = new ArrayList<>();
            for (ObjectNode event : events) {
                String id = event.get("event_id").asText();
                String outcome = switch (kindOf.get(id)) {
                    case "ops", "poison" -> received.containsKey(id) && !dead.contains(id) ? "decided"
                            : dead.contains(id) && !received.containsKey(id) ? "dead-lettered" : null;
                    case "signup" -> emitted.containsKey(id + " onboarding.complete") ? "onboarding complete"
                            : emitted.containsKey(id + " onboarding.stuck") ? "reported stuck"
                            : dead.contains(id) ? "dead-lettered" : null;
                    case "order" -> sagas.containsKey(id) ? sagas.get(id) : sagaOutcome(sfn, dynamo, id, event, dead);
                    default -> throw new IllegalStateException(id);
                };
                if (outcome == null) {
                    unaccounted.add(id);
                } else {
                    outcomes.put(id, outcome);
                    if (kindOf.get(id).equals("order")) {
                        sagas.put(id, outcome);
                    }
                }
            }
            return new Accounting(outcomes, unaccounted, duplicated, deadLetters, records);
        }
    }

    /** fulfilled (charged once), rolled back (charged nothing), or in the compensation DLQ; null while running. */
    private static String sagaOutcome(SfnClient sfn, DynamoDbClient dynamo, String id, ObjectNode event, Set<String> dead) {
        Optional<DescribeExecutionResponse> execution = execution(sfn, id);
        if (execution.isEmpty()) {
            return dead.contains(id) ? "dead-lettered" : null;
        }
        DescribeExecutionResponse done = execution.get();
        String orderId = event.at("/payload/order_id").asText();
        long net = dynamo.query(b -> b.tableName("relay-ledger").keyConditionExpression("order_id = :o")
                        .consistentRead(true)
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(orderId)))).items().stream()
                .mapToLong(i -> Long.parseLong(i.get("amount_minor").n())).sum();
        return switch (done.status()) {
            case RUNNING -> null;
            case SUCCEEDED -> net == 4900 ? "fulfilled" : "fulfilled, but ledger net " + net;
            default -> switch (String.valueOf(done.error())) {
                case "OrderRolledBack", "RiskReviewFailed", "OrderRejected" ->
                        net == 0 ? "rolled back (" + done.error() + ")" : "rolled back, but ledger net " + net;
                case "CompensationFailed" -> "in the compensation DLQ";
                default -> "execution " + done.status() + " " + done.error() + ", ledger net " + net;
            };
        };
    }

    private static Optional<DescribeExecutionResponse> execution(SfnClient sfn, String name) {
        try {
            return Optional.of(sfn.describeExecution(b -> b.executionArn(
                    MACHINE.replace(":stateMachine:", ":execution:") + ":" + name)));
        } catch (ExecutionDoesNotExistException notYet) {
            return Optional.empty();
        }
    }

    /**
     * Every message that reached a DLQ so far, with its reason. Read with a long visibility timeout, so each is read
     * once and stays in its DLQ.
     */
    private List<DeadLetter> deadLetters(SqsClient sqs) {
        for (String url : sqs.listQueues().queueUrls()) {
            if (!url.toLowerCase(java.util.Locale.ROOT).endsWith("dlq")) {
                continue;
            }
            List<Message> messages;
            do {
                messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(43_200)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                for (Message message : messages) {
                    deadLetters.put(message.messageId(), new DeadLetter(url.substring(url.lastIndexOf('/') + 1),
                            eventId(message.body()), reason(message)));
                }
            } while (!messages.isEmpty());
        }
        return List.copyOf(deadLetters.values());
    }

    private static String eventId(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            for (String field : List.of("event_id", "id")) {
                if (json.hasNonNull(field)) {
                    return json.get(field).asText();
                }
            }
            return json.at("/order/event_id").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private static String reason(Message message) {
        var reason = message.messageAttributes().get("relay-error-reason");
        return reason != null ? reason.stringValue()
                : "redriven by SQS after " + message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                        + " receives (maxReceiveCount)";
    }

    private static List<String> ids(List<ObjectNode> events, String kind) {
        return events.stream().map(e -> e.get("event_id").asText()).filter(id -> id.startsWith("fi-" + kind)).toList();
    }

    // ------------------------------------------------------------------------------------------------ the report

    private void report(LocalCloud cloud, List<ObjectNode> events, long nanos) {
        Accounting accounting = account(cloud, events);
        Map<String, Long> byOutcome = accounting.outcomes().values().stream()
                .collect(Collectors.groupingBy(o -> o, TreeMap::new, Collectors.counting()));
        List<Verification> broken;
        try (DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl())) {
            AuditTrail trail = new AuditTrail(new AuditTable(dynamo, cloud.template().ref("AuditTable").orElseThrow(),
                    cloud.template().ref("IdempotencyTable").orElseThrow()));
            List<Verification> all = trail.verifyAll();
            broken = all.stream().filter(v -> !v.intact()).toList();
            System.out.printf("audit verify: %d streams, %d records, %d broken%n", all.size(),
                    accounting.records().size(), broken.size());
        }
        long llmCalls = accounting.records().stream().filter(r -> r.kind() == RecordKind.LLM_CALL).count();
        System.out.printf("fault injection: %d events in %d s (%d ops, %d poison, %d signups, %d orders)%n",
                events.size(), TimeUnit.NANOSECONDS.toSeconds(nanos), OPS, POISON, SIGNUPS, ORDERS);
        System.out.println("faults injected: " + faults.total() + " " + faults.injected() + " + 1 model outage (3 s)"
                + " + 1 restart of the local cloud");
        System.out.println("outcomes: " + byOutcome);
        System.out.println("dead letters: " + accounting.deadLetters().stream()
                .collect(Collectors.groupingBy(d -> d.queue() + ": " + d.reason(), TreeMap::new, Collectors.counting())));
        System.out.printf("lost: %d %s%n", accounting.unaccounted().size(),
                accounting.unaccounted().stream().limit(20).toList());
        System.out.printf("duplicated effects: %d %s%n", accounting.duplicated().size(), accounting.duplicated());
        System.out.printf("model answers: %d for %d recorded model calls%n", faults.modelAnswers(), llmCalls);

        assertThat(accounting.unaccounted()).as("events without an outcome").isEmpty();
        assertThat(accounting.duplicated()).as("effects that happened more than once").isEmpty();
        assertThat(broken).as("audit streams that do not verify").isEmpty();
        assertThat(accounting.outcomes()).allSatisfy((id, outcome) -> assertThat(outcome)
                .as(id).doesNotContain("ledger net").doesNotStartWith("execution"));
        assertThat(accounting.outcomes()).allSatisfy((id, outcome) -> {
            if (kindOf.get(id).equals("poison")) {
                assertThat(outcome).as(id).isEqualTo("dead-lettered");
            }
        });
        // a dead letter is one of the published events, and a poison one says which field was wrong
        assertThat(accounting.deadLetters()).allSatisfy(letter -> {
            assertThat(kindOf).as("dead letter %s", letter).containsKey(letter.eventId());
            if (kindOf.get(letter.eventId()).equals("poison")) {
                assertThat(letter.reason()).startsWith("data.status: 'exploded'");
            }
        });
        assertThat(faults.total()).as("faults injected").isGreaterThan(50);
    }
}
