package dev.relay.cli;

import dev.relay.core.Json;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import dev.relay.local.LocalCloud;
import dev.relay.local.LocalCloudOptions;
import dev.relay.local.esm.MappingStats;
import dev.relay.local.lambda.FunctionLogSink;
import dev.relay.local.template.TemplateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.Verification;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code relay demo}: starts the local cloud from template.yaml, publishes every sample event to the events topic
 * exactly as a producer would (through SNS on the edge), and watches the topic for what the agents emit in each
 * sample's flow (its correlation id). Then a poison message goes to the ops DLQ at once, and the audit trail of
 * every flow is verified. Exits 0 only when every expected outcome was observed.
 */
@Command(name = "demo", description = "Run template.yaml locally, publish the samples in events/messages/ and check "
        + "what the agents do.",
        footerHeading = "%nExamples:%n",
        footer = {"  relay demo", "  relay demo --events my-events/ --timeout 300"})
final class DemoCommand implements Callable<Integer> {

    /**
     * What each sample must cause today: the event types its flow must show, keyed by sample file. Patterns whose
     * agents are not in the template yet have no entry; the demo says so instead of pretending.
     */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "customer-signup.json", List.of("welcome.email.sent", "workspace.provisioned", "crm.contact.created",
                    "sales.notified", "onboarding.complete"),
            "deploy-completed.json", List.of("deploy.verified"),
            "deploy-failed.json", List.of("deploy.remediation.suggested"),
            "alert-triggered.json", List.of("alert.triaged"),
            "alert-sev1.json", List.of("alert.triaged", "oncall.page.requested"),
            "email-received.json", List.of("email.triaged"),
            "support-ticket-created.json", List.of("support.ticket.classified"),
            "order-placed.json", List.of("order.fulfilled"),
            "order-shipping-fails.json", List.of("order.rolled_back"),
            "order-needs-approval.json", List.of("order.approval.requested", "order.fulfilled"));

    @Option(names = "--events", paramLabel = "DIR", defaultValue = "events/messages",
            description = "Folder of event bodies (default: ${DEFAULT-VALUE}).")
    Path events;

    @Option(names = "--template", paramLabel = "FILE", description = "SAM template (default: the repository's).")
    Optional<Path> template;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the outcomes (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, TemplateException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = LocalRun.home().resolve(events).normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no such folder: " + folder + " (give --events DIR)");
        }
        Map<String, Envelope> samples = new LinkedHashMap<>();
        int refused = 0;
        for (Path sample : samples(folder)) {
            try {
                samples.put(sample.getFileName().toString(), Envelope.parse(Files.readString(sample)));
            } catch (InvalidEventException e) {
                out.printf("%s: refused: %s%n", sample.getFileName(), e.getMessage());
                refused++;
            }
        }
        if (refused > 0) {
            out.printf("%d sample(s) refused; fix them before running the demo.%n", refused);
            return 1;
        }
        Path logs = LocalRun.home().resolve(".relay/logs/functions.log");
        LocalCloudOptions options = LocalRun.options(LocalRun.template(template), 0, 0, Optional.empty(), Map.of(),
                System.getenv()).withLogSink(fileSink(logs));
        out.println("Relay demo: starting the local cloud from " + options.template() + " ...");
        out.flush();
        try (LocalCloud cloud = LocalCloud.start(options);
             SnsClient sns = LocalCloud.client(SnsClient.builder(), cloud.edgeUrl(), options.region());
             SqsClient sqs = LocalCloud.client(SqsClient.builder(), cloud.edgeUrl(), options.region())) {
            out.printf("local cloud ready in %d ms (edge %s; function logs in %s)%n%n", cloud.startup().toMillis(),
                    cloud.edgeUrl(), logs);
            String topic = cloud.template().resourcesOfType("AWS::SNS::Topic").stream()
                    .map(t -> cloud.template().ref(t.logicalId()).orElseThrow()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the template has no SNS topic to publish to"));
            String observer = observe(sns, sqs, topic);
            stockInventory(cloud, options.region());
            new SnsEventPublisher(sns, topic).publish(List.copyOf(samples.values()));
            new SnsEventPublisher(sns, topic).publish(List.of(POISON));
            Map<String, List<Envelope>> followUps;
            try (SfnClient sfn = LocalCloud.client(SfnClient.builder(), cloud.edgeUrl(), options.region())) {
                followUps = await(sqs, sfn, observer, samples, out);
            }
            int missing = report(out, samples, followUps);
            missing += reportPoison(out, sqs, cloud);
            missing += reportAudit(out, cloud, options.region());
            // Follow-ups are published during an invocation; its batch is deleted when the function returns.
            for (int wait = 0; wait < 50 && cloud.mappings().stats().stream().anyMatch(m -> m.inFlight() > 0); wait++) {
                Thread.sleep(100);
            }
            for (MappingStats stats : cloud.mappings().stats()) {
                out.printf("%nqueue %s -> %s: %d batches, %d messages deleted, %d failed%n",
                        stats.queueArn().substring(stats.queueArn().lastIndexOf(':') + 1), stats.functionName(), stats.batchesInvoked(),
                        stats.messagesDeleted(), stats.messagesFailed());
            }
            out.printf("%n%d samples, %d expected outcomes missing.%n", samples.size(), missing);
            return missing == 0 ? 0 : 1;
        }
    }

    /** A queue that sees every event on the topic, as an operator's tap would. */
    private static String observe(SnsClient sns, SqsClient sqs, String topic) {
        String url = sqs.createQueue(b -> b.queueName("relay-demo-observer")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        return url;
    }

    /** Events of each sample's flow (same correlation id), until every expectation is met or time runs out. */
    private Map<String, List<Envelope>> await(SqsClient sqs, SfnClient sfn, String observer, Map<String, Envelope> samples,
            PrintWriter out) {
        Map<String, String> fileByFlow = new LinkedHashMap<>();
        samples.forEach((file, event) -> fileByFlow.put(event.correlationId(), file));
        Map<String, List<Envelope>> followUps = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!satisfied(followUps) && System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(observer).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages()) {
                Envelope event = Envelope.parse(message.body());
                String file = event.causationId() == null ? null : fileByFlow.get(event.correlationId());
                if (file != null) {
                    followUps.computeIfAbsent(file, f -> new ArrayList<>()).add(event);
                    if (event.type().equals("order.approval.requested")) {
                        // what a person does with `relay saga approve`: answer the saga's task token
                        out.printf("(%s asks for a person: approving it)%n", file);
                        sfn.sendTaskSuccess(b -> b.taskToken(event.data().path("task_token").asText())
                                .output("{\"approved\":true,\"by\":\"relay demo\"}"));
                    }
                }
                sqs.deleteMessage(b -> b.queueUrl(observer).receiptHandle(message.receiptHandle()));
            }
        }
        return followUps;
    }

    private static boolean satisfied(Map<String, List<Envelope>> followUps) {
        return EXPECTED.entrySet().stream().allMatch(expected -> followUps.getOrDefault(expected.getKey(), List.of())
                .stream().map(Envelope::type).toList().containsAll(expected.getValue()));
    }

    private static int report(PrintWriter out, Map<String, Envelope> samples, Map<String, List<Envelope>> followUps) {
        int missing = 0;
        for (Map.Entry<String, Envelope> sample : samples.entrySet()) {
            List<Envelope> caused = followUps.getOrDefault(sample.getKey(), List.of());
            List<String> expected = EXPECTED.getOrDefault(sample.getKey(), List.of());
            out.printf("%s  %s%n", sample.getKey(), sample.getValue().type());
            for (Envelope followUp : caused) {
                out.printf("  -> %s  %s%n", followUp.type(), Json.canonical(followUp.data()));
            }
            for (String type : expected) {
                if (caused.stream().noneMatch(e -> e.type().equals(type))) {
                    out.printf("  MISSING: expected %s%n", type);
                    missing++;
                }
            }
            if (expected.isEmpty() && caused.isEmpty()) {
                out.println("  (no agent in template.yaml subscribes to this type yet)");
            }
        }
        return missing;
    }

    /** A deploy event no agent can act on: it must reach the ops DLQ on its first receive, with the reason. */
    static final Envelope POISON = Envelope.parse("""
            {"event_type":"deploy.completed","event_id":"demo-poison-1",
             "payload":{"service":"checkout-api","version":"0.0.0","status":"exploded"}}""");

    /** The stock the order samples need, from events/inventory.json (what an operator loads with batch-write-item). */
    static void stockInventory(LocalCloud cloud, String region) throws IOException {
        Path seed = LocalRun.home().resolve("events/inventory.json");
        Optional<String> table = cloud.template().ref("InventoryTable");
        if (!Files.exists(seed) || table.isEmpty()) {
            return;
        }
        try (DynamoDbClient dynamo = LocalCloud.client(DynamoDbClient.builder(), cloud.edgeUrl(), region)) {
            for (var put : Json.MAPPER.readTree(Files.readString(seed)).path("relay-inventory")) {
                dynamo.putItem(b -> b.tableName(table.get()).item(Map.of(
                        "id", AttributeValue.fromS(put.at("/PutRequest/Item/id/S").asText()),
                        "stock", AttributeValue.fromN(put.at("/PutRequest/Item/stock/N").asText()))));
            }
        }
    }

    private int reportPoison(PrintWriter out, SqsClient sqs, LocalCloud cloud) {
        String dlq = cloud.template().ref("OpsDLQ").orElseThrow(() -> new IllegalStateException("template has no OpsDLQ"));
        out.printf("%npoison message %s (deploy.completed, status \"exploded\")%n", POISON.id());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(timeoutSeconds, 30));
        while (System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages()) {
                if (message.body().contains(POISON.id())) {
                    var reason = message.messageAttributes().get("relay-error-reason");
                    var receives = message.messageAttributes().get("relay-receive-count");
                    out.printf("  -> in %s after %s receive(s): %s%n", dlq.substring(dlq.lastIndexOf('/') + 1),
                            receives == null ? "?" : receives.stringValue(), reason == null ? "(no reason)" : reason.stringValue());
                    return 0;
                }
            }
        }
        out.println("  MISSING: expected it in the ops DLQ");
        return 1;
    }

    private static int reportAudit(PrintWriter out, LocalCloud cloud, String region) {
        String audit = cloud.template().ref("AuditTable").orElseThrow();
        String idempotency = cloud.template().ref("IdempotencyTable").orElseThrow();
        try (DynamoDbClient dynamo = LocalCloud.client(DynamoDbClient.builder(), cloud.edgeUrl(), region)) {
            List<Verification> streams = new AuditTrail(new AuditTable(dynamo, audit, idempotency)).verifyAll();
            int records = streams.stream().mapToInt(Verification::records).sum();
            long broken = streams.stream().filter(v -> !v.intact()).count();
            out.printf("%naudit trail (%s): %d flows, %d records, %s%n", audit, streams.size(), records,
                    broken == 0 ? "every hash chain intact" : broken + " flow(s) NOT intact");
            return broken == 0 && records > 0 ? 0 : 1;
        }
    }

    private static List<Path> samples(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static FunctionLogSink fileSink(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
        return (function, line) -> {
            synchronized (DemoCommand.class) {
                try {
                    Files.writeString(file, "[" + function + "] " + line + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
