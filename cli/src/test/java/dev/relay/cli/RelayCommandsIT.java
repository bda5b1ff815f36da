package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import dev.relay.embedded.LocalPorts;
import dev.relay.local.LocalCloud;
import dev.relay.local.LocalCloudOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every relay command against one local cloud running the repository's template: functions in their own JVMs, the
 * commands in-process exactly as ./relay runs them (--endpoint the cloud's edge). The agents' model is a self-hosted
 * model server the dead-letter test can take the model away from, and give it back. The tests share the cloud and
 * tell one story in order: publish and trace, tail, the saga (approved, denied, rolled back), a dead letter
 * redriven after the fix, purge, tampering.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayCommandsIT {

    private static final Pattern CORRELATION = Pattern.compile("correlation id: (\\S+)");
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    private static PullableModelServer modelServer;
    private static LocalCloud cloud;
    private static String deployFlow;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("relay.home", HOME.toString());
        modelServer = PullableModelServer.start();
        Path logs = Path.of("target", "relay-commands-it-functions.log").toAbsolutePath();
        Files.writeString(logs, "");
        cloud = LocalCloud.start(LocalCloudOptions.defaults(HOME.resolve("template.yaml"))
                .withPorts(LocalPorts.free(), LocalPorts.free())
                .withOfflineModel(false)
                .withParameterOverrides(Map.of("OpenAiBaseUrl", modelServer.baseUrl()))
                .withParameters(Map.of("/relay/openai-api-key", "sk-local-test"))
                .withTimeScale(50)
                .withLogSink((function, line) -> append(logs, "[" + function + "] " + line + "\n")));
        // the stock the order samples need, from the file the README tells operators to load
        try (DynamoDbClient dynamo = LocalCloud.client(DynamoDbClient.builder(), cloud.edgeUrl(), "us-east-1")) {
            for (JsonNode put : Json.MAPPER.readTree(Files.readString(HOME.resolve("events/inventory.json"))).get("relay-inventory")) {
                dynamo.putItem(b -> b.tableName("relay-inventory").item(Map.of(
                        "id", AttributeValue.fromS(put.at("/PutRequest/Item/id/S").asText()),
                        "stock", AttributeValue.fromN(put.at("/PutRequest/Item/stock/N").asText()))));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
        if (modelServer != null) {
            modelServer.close();
        }
    }

    @Test
    @Order(1)
    void aPublishedEventIsTracedThroughTheAgentsModelCallDecisionAndFollowUp() throws Exception {
        Run published = relay("publish", "deploy-completed", "--new-id");

        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.out()).contains("published deploy.completed to arn:aws:sns:us-east-1:000000000000:relay-events");
        deployFlow = correlationId(published);
        Run trace = await(run -> run.out().contains("emitted deploy.verified"), "trace", deployFlow);
        assertThat(trace.out())
                .contains("flow " + deployFlow + ": 4 audit record(s)", "hash chain intact")
                .containsPattern("(?m)^deploy\\.completed  " + deployFlow + "  from urn:relay:producer")
                .containsPattern("└─ deploy-verifier  received at ")
                .containsPattern("├─ model call  gpt-4o-mini \\(relay-offline/gpt-4o-mini\\) \\d+ ms \\d+ tokens")
                .containsPattern("├─ decision  verified \\{\"verdict\":")
                .containsPattern("└─ emitted deploy\\.verified  \\S+  from urn:relay:ops-agents");

        JsonNode json = Json.MAPPER.readTree(relay("trace", deployFlow, "--output", "json").out());
        JsonNode handling = json.at("/events/0/handled_by/0");
        assertThat(handling.get("agent").asText()).isEqualTo("deploy-verifier");
        assertThat(handling.at("/decision/action").asText()).isEqualTo("verified");
        assertThat(handling.at("/model_calls/0/tokens/total_tokens").asInt()).isPositive();
        String followUp = handling.at("/emitted/0/event_id").asText();

        Run chain = relay("audit", "chain", followUp);
        assertThat(chain.exit()).isZero();
        assertThat(chain.out().lines().toList()).hasSize(4).satisfies(lines -> {
            assertThat(lines.getFirst()).contains("deploy-verifier", "received", "deploy.completed " + deployFlow);
            assertThat(lines.getLast()).contains("emitted", "deploy.verified " + followUp, "flow " + deployFlow + " #4");
        });
        assertThat(relay("audit", "history", "deploy-verifier").out()).contains("flow " + deployFlow + " #3");
        assertThat(relay("audit", "replay", "--to", Instant.now().toString(), "--stream", deployFlow).out())
                .containsPattern("deploy-verifier +1 received, 1 model call\\(s\\), \\d+ tokens, 1 follow-up\\(s\\); "
                        + "last decision: verified");
        Run verify = relay("audit", "verify", "--stream", deployFlow);
        assertThat(verify.exit()).isZero();
        assertThat(verify.out()).contains("flow " + deployFlow + ": 4 record(s), intact", "head hash ");
    }

    @Test
    @Order(2)
    void tailPrintsNewRecordsAsTheyAreWrittenOnlyOfTheTypesAskedFor() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> Relay.commandLine()
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("tail", "--type", "deploy.*", "--max", "2", "--interval", "0.5",
                        "--endpoint", cloud.edgeUrl()));
        awaitText(err, "following relay-audit"); // said once the records already there are known

        String flow = correlationId(relay("publish", "deploy-failed", "--new-id"));

        assertThat(tail.get(90, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString().lines().toList()).hasSize(2).satisfies(lines -> {
            assertThat(lines.get(0)).containsPattern("deploy-verifier +received  deploy\\.completed " + flow + "  flow " + flow + " #1");
            assertThat(lines.get(1)).containsPattern("deploy-verifier +emitted   deploy\\.remediation\\.suggested \\S+  flow " + flow + " #4");
        });
    }

    @Test
    @Order(3)
    void aSagaWaitsForAPersonWhoApprovesItAndAnOrderAPersonDeniesIsRejected(@TempDir Path dir) throws Exception {
        Run started = relay("saga", "start", "order-needs-approval", "--new-id");
        assertThat(started.exit()).as(started.err()).isZero();
        Matcher name = Pattern.compile("started saga execution (\\S+) for order ord_1003: RUNNING").matcher(started.out());
        assertThat(name.find()).as(started.out()).isTrue();
        String execution = name.group(1);

        assertThat(await(run -> run.out().contains("waiting for a person"), "saga", "status", execution).out())
                .contains("AwaitApproval        waiting for a person: relay saga approve|deny ord_1003");
        Run approved = relay("saga", "approve", "ord_1003", "--by", "ops@example.com");
        assertThat(approved.out()).isEqualTo("order ord_1003 approved by ops@example.com\n");
        Run status = await(run -> run.out().contains("SUCCEEDED"), "saga", "status", execution);
        assertThat(status.out()).contains("ChargeCard           succeeded", "ConfirmOrder         succeeded");
        assertThat(relay("saga", "approve", "ord_1003").exit()).as("answered already").isEqualTo(Relay.NOT_FOUND);
        assertThat(relay("trace", execution).out())
                .contains("saga execution " + execution + "  SUCCEEDED", "risk-review  received at", "charge-card",
                        "emitted order.fulfilled");

        // the other way in: an order.placed on the topic, started by the saga starter, denied by a person
        Path order = dir.resolve("order-to-deny.json");
        Files.writeString(order, Files.readString(HOME.resolve("events/messages/order-needs-approval.json"))
                .replace("ord_1003", "ord_cli_deny"));
        String flow = correlationId(relay("publish", order.toString(), "--new-id"));
        await(run -> run.out().contains("waiting for a person"), "saga", "status", flow);
        assertThat(relay("saga", "deny", "ord_cli_deny", "--reason", "address does not verify").exit()).isZero();
        Run denied = await(run -> run.out().contains("FAILED"), "saga", "status", flow);
        assertThat(denied.out()).contains("OrderRejected", "AwaitApproval        failed: OrderDenied: address does not verify");
        assertThat(relay("trace", flow).out())
                .containsPattern("(?m)^order\\.placed  " + flow)
                .contains("saga-starter  received at", "decision  saga_started", "caused saga.risk_review",
                        "saga execution " + flow + "  FAILED");
    }

    @Test
    @Order(4)
    void aSagaRolledBackOnACarrierTimeoutShowsTheRetriesAndTheCompensationsInReverse() throws Exception {
        Run started = relay("saga", "start", "order-shipping-fails", "--new-id", "--output", "json");
        String execution = Json.MAPPER.readTree(started.out()).get("name").asText();

        Run status = await(run -> run.out().contains("FAILED"), "saga", "status", execution);

        assertThat(status.out()).contains(
                "saga execution " + execution + "  FAILED  OrderRolledBack: rolled back: ScheduleShipping failed "
                        + "(Carrier API timeout)",
                "ScheduleShipping     failed after 4 attempts: dev.relay.fulfillment.TransientStepFailure: "
                        + "Carrier API timeout");
        assertThat(status.out().lines().filter(line -> line.endsWith("(compensation)")).map(String::strip))
                .containsExactly("├─ ReleaseInventory     succeeded  (compensation)",
                        "├─ RefundCard           succeeded  (compensation)",
                        "├─ PublishRollback      succeeded  (compensation)");
        assertThat(relay("trace", execution).out()).contains("emitted order.rolled_back", "release-inventory",
                "refund-card");
    }

    @Test
    @Order(5)
    void aMessageDeadLetteredForAMissingModelIsShownThenRedrivenOnceTheModelIsPulledAndIsProcessed() throws Exception {
        modelServer.remove();
        String flow;
        try {
            flow = correlationId(relay("publish", "deploy-completed", "--new-id"));

            Run shown = await(run -> run.out().contains(flow), "dlq", "show", "ops");
            assertThat(shown.out())
                    .contains("relay-ops-dlq: about 1 message(s), fed by relay-ops-queue, showing 1")
                    .contains("event: deploy.completed id " + flow + " correlation " + flow)
                    .containsPattern("last error: LlmException: model call failed: HTTP 404 .*model \\\\?\"gpt-4o-mini\\\\?\" "
                            + "not found, try pulling it first.* \\(dead-lettered at once by the function on "
                            + "relay-ops-queue, receive 1\\)")
                    .contains("Once the cause is fixed: relay dlq redrive relay-ops-dlq");
            JsonNode message = Json.MAPPER.readTree(relay("dlq", "show", "ops", "-o", "json").out()).at("/messages/0");
            assertThat(message.get("error_type").asText()).isEqualTo("LlmException");
            assertThat(message.get("attributes").get("id").asText()).isEqualTo(flow);
            assertThat(relay("dlq", "list").out()).containsPattern("relay-ops-dlq +1 +0  relay-ops-queue");
            assertThat(relay("trace", flow).exit()).as("no agent decided anything").isEqualTo(Relay.NOT_FOUND);
        } finally {
            modelServer.pull();
        }

        Run redrive = relay("dlq", "redrive", "ops", "--max-velocity", "5");

        assertThat(redrive.exit()).as(redrive.err()).isZero();
        assertThat(redrive.out()).isEqualTo("redrove 1 message(s) from relay-ops-dlq to relay-ops-queue\n");
        assertThat(redrive.err()).contains("moving about 1 message(s) from relay-ops-dlq to relay-ops-queue at most 5/s");
        assertThat(await(run -> run.out().contains("decision  verified"), "trace", flow).out())
                .contains("emitted deploy.verified", "hash chain intact");
        assertThat(relay("dlq", "show", "ops").out()).doesNotContain(flow);
    }

    @Test
    @Order(6)
    void purgeDeletesADeadLetterQueuesMessagesOnlyOnceConfirmed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad-order.json");
        Files.writeString(bad, "{\"event_type\":\"order.placed\",\"payload\":{\"order_id\":\"ord_no_items\"}}");
        String flow = correlationId(relay("publish", bad.toString(), "--new-id"));
        assertThat(await(run -> run.out().contains(flow), "dlq", "show", "orders").out())
                .contains("last error: InvalidEventException: data.customer_id: required");

        Run declined = withInput("n\n", () -> relay("dlq", "purge", "orders"));
        assertThat(declined.exit()).isEqualTo(Relay.FAILURE);
        assertThat(declined.err()).contains("Delete about 1 message(s) from relay-orders-dlq for good? [y/N]",
                "relay: nothing purged (answer y, or add --yes)");
        assertThat(relay("dlq", "show", "orders").out()).contains(flow);

        Run purged = relay("dlq", "purge", "orders", "--yes");
        assertThat(purged.out()).isEqualTo("purged relay-orders-dlq: about 1 message(s) deleted\n");
        assertThat(relay("dlq", "show", "orders").out()).contains("relay-orders-dlq: about 0 message(s)");
    }

    @Test
    @Order(7)
    void auditVerifyReportsATamperedRecord() throws Exception {
        try (DynamoDbClient dynamo = LocalCloud.client(DynamoDbClient.builder(), cloud.edgeUrl(), "us-east-1")) {
            // someone with write access to the table turns the decision around
            Map<String, AttributeValue> key = Map.of("stream", AttributeValue.fromS(deployFlow), "seq", AttributeValue.fromN("3"));
            String payload = dynamo.getItem(b -> b.tableName("relay-audit").key(key)).item().get("payload").s();
            dynamo.updateItem(b -> b.tableName("relay-audit").key(key).updateExpression("SET payload = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(payload.replace("PASS", "FAIL")))));
        }

        Run one = relay("audit", "verify", "--stream", deployFlow);
        Run all = relay("audit", "verify");

        assertThat(one.exit()).isEqualTo(Relay.FAILURE);
        assertThat(one.out()).contains("flow " + deployFlow + ": 4 record(s), NOT intact")
                .containsPattern("seq 3 \\(event \\S+\\): content_changed: content does not match its checksum");
        assertThat(all.exit()).isEqualTo(Relay.FAILURE);
        assertThat(all.out()).contains("flow " + deployFlow + ": 4 record(s), NOT intact")
                .containsPattern("\\d+ flow\\(s\\), \\d+ record\\(s\\): 1 flow\\(s\\) NOT intact");
        JsonNode json = Json.MAPPER.readTree(relay("audit", "verify", "-o", "json").out());
        assertThat(json.get("intact").asBoolean()).isFalse();
        assertThat(StreamSupport.stream(json.get("results").spliterator(), false)
                .filter(r -> !r.get("intact").asBoolean()).map(r -> r.get("stream").asText())).containsExactly(deployFlow);
        assertThat(relay("trace", deployFlow).out()).contains("hash chain NOT intact (relay audit verify --stream "
                + deployFlow + ")");
    }

    /** What a relay command printed and returned. */
    record Run(int exit, String out, String err) {}

    static Run relay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", cloud.edgeUrl()));
        int exit = Relay.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs the command until its output shows {@code done} (or 90 s pass: then returns the last run). */
    static Run await(Predicate<Run> done, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Run run = relay(args);
        while (!done.test(run) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = relay(args);
        }
        assertThat(done.test(run)).as("relay %s never showed what was awaited; last output:%n%s%s", String.join(" ", args),
                run.out(), run.err()).isTrue();
        return run;
    }

    private static void awaitText(StringWriter writer, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!writer.toString().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(writer.toString()).contains(text);
    }

    private static String correlationId(Run published) {
        assertThat(published.exit()).as(published.err()).isZero();
        Matcher matcher = CORRELATION.matcher(published.out());
        assertThat(matcher.find()).as(published.out()).isTrue();
        return matcher.group(1);
    }

    private static Run withInput(String input, Supplier<Run> command) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(original);
        }
    }

    private static synchronized void append(Path file, String line) {
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
