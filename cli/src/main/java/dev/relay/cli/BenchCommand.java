package dev.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.cli.bench.HelloWorld;
import dev.relay.local.LocalCloud;
import dev.relay.local.LocalCloudOptions;
import dev.relay.local.edge.EdgeCounters;
import dev.relay.local.lambda.FunctionSpec;
import dev.relay.local.lambda.LambdaService;
import dev.relay.local.lambda.LoggedInvocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code relay bench}: per function of the template, the deployment jar's size and its cold start (a fresh JVM with
 * Lambda's flags, through the local Runtime API, to the first event's response), next to a hello-world handler
 * measured the same way in the same run; then, on a second local cloud with its pollers running ({@link FlowBench}),
 * publish-to-handler latency, signups per second through the onboarding, and requests and cost per event type.
 */
@Command(name = "bench", description = "Measure each function's artifact size and cold start against a hello-world "
        + "handler, the local cloud's delivery latency and signup throughput, and the AWS requests and cost of each "
        + "event type (offline model).",
        footerHeading = "%nExamples:%n",
        footer = {"  relay bench                                   # everything, 5 cold starts each",
                "  relay bench --runs 9 --json target/bench.json",
                "  relay bench --only OpsAgentsFunction --only AuditFunction --runs 3 --part cold-starts",
                "  relay bench --part local --part requests      # the end-to-end figures only"})
final class BenchCommand implements Callable<Integer> {

    static final String COLD_STARTS = "cold-starts";
    static final String LOCAL = "local";
    static final String REQUESTS = "requests";
    private static final List<String> PARTS = List.of(COLD_STARTS, LOCAL, REQUESTS);
    /** One sample per event type the template handles; the ops types, then the onboarding and the order saga. */
    static final List<String> TYPE_SAMPLES = List.of("events/messages/deploy-completed.json",
            "events/messages/alert-triggered.json", "events/messages/email-received.json",
            "events/messages/support-ticket-created.json", "events/messages/customer-signup.json",
            "events/messages/order-placed.json");

    static final String HELLO_WORLD = "relay-bench-hello-world";
    /** The function whose deploy.completed decision is costed in requests. */
    private static final String DECIDER = "OpsAgentsFunction";
    private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([0-9.]+) ms");
    /** Functions whose first event starts work elsewhere (a state machine): measured last, so it disturbs no other. */
    private static final List<String> MEASURE_LAST = List.of("SagaStarterFunction");
    /** The functions a signup goes through: their environments are started before signups are timed. */
    private static final List<String> ONBOARDING = List.of("WelcomeEmailFunction", "ProvisioningFunction",
            "CrmFunction", "SalesNotifierFunction", "OnboardingCoordinatorFunction");
    private static final int WARM_UP_SIGNUPS = 10;
    /** Deliveries timed through the template's 1 s batching window: about a second each. */
    private static final int TEMPLATE_MESSAGES = 20;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Cold starts per function; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Optional<Path> json;

    @Option(names = "--only", paramLabel = "LOGICAL_ID", split = ",",
            description = "Only these functions (template logical ids); the hello world is always measured.")
    List<String> only = List.of();

    @Option(names = "--template", paramLabel = "FILE", description = "SAM template (default: the repository's).")
    Optional<Path> template;

    @Option(names = "--part", paramLabel = "PART", split = ",",
            description = "What to measure: cold-starts, local (publish-to-handler latency, signups/s), requests "
                    + "(requests and cost per event type); default: all.")
    List<String> parts = PARTS;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "100",
            description = "Messages timed from publish to handler (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--signups", paramLabel = "N", defaultValue = "100",
            description = "Signups published at once for the throughput (default: ${DEFAULT-VALUE}).")
    int signups;

    @Option(names = "--events-per-type", paramLabel = "N", defaultValue = "5",
            description = "Events of each type whose requests are counted (default: ${DEFAULT-VALUE}).")
    int eventsPerType;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String[] count : new String[][] {{"--runs", Integer.toString(runs)},
                {"--messages", Integer.toString(messages)}, {"--signups", Integer.toString(signups)},
                {"--events-per-type", Integer.toString(eventsPerType)}}) {
            if (Integer.parseInt(count[1]) < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), count[0]
                        + " must be at least 1, got " + count[1]);
            }
        }
        List<String> unknownParts = parts.stream().filter(part -> !PARTS.contains(part)).toList();
        if (!unknownParts.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no such --part: "
                    + String.join(", ", unknownParts) + " (parts: " + String.join(", ", PARTS) + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("OPENAI_API_KEY"); // always the offline model: no network, no cost, comparable runs
        LocalCloudOptions options = LocalRun.options(LocalRun.template(template), 0, 0, Optional.empty(), Map.of(),
                environment).withLogSink((function, line) -> { });
        Path work = Files.createTempDirectory("relay-bench-");
        try {
            BenchReport report = parts.contains(COLD_STARTS) ? coldStarts(options, work, out)
                    : new BenchReport(0, null, List.of(), BenchReport.NOT_MEASURED_YET, null);
            if (parts.contains(LOCAL) || parts.contains(REQUESTS)) {
                FlowReport flows = flows(options, work, out);
                List<String> notMeasured = new ArrayList<>(report.notMeasured());
                if (parts.contains(LOCAL)) {
                    notMeasured.removeIf(key -> key.startsWith("local."));
                }
                if (parts.contains(REQUESTS)) {
                    notMeasured.removeAll(List.of("requests_per_event", "cost_per_million_events_usd"));
                    if (flows.types().stream().anyMatch(t -> t.eventType().equals(FlowReport.DECISION_TYPE))) {
                        notMeasured.remove("dynamodb_writes_per_decision");
                    }
                }
                report = new BenchReport(report.runs(), report.helloWorld(), report.functions(), notMeasured,
                        report.cost(), flows);
            }
            out.println();
            out.print(report.table());
            if (json.isPresent()) {
                Path file = json.get().toAbsolutePath();
                Files.createDirectories(file.getParent());
                Files.writeString(file, report.jsonText());
                out.println("JSON: " + file);
            }
            out.flush();
            return 0;
        } finally {
            deleteQuietly(work);
        }
    }

    /** The end-to-end part, on a local cloud of its own whose pollers run. */
    private FlowReport flows(LocalCloudOptions options, Path work, PrintWriter out) throws Exception {
        FlowBench.LambdaUsage usage = new FlowBench.LambdaUsage();
        try (LocalCloud cloud = LocalCloud.start(options.withLogSink(usage));
             FlowBench bench = new FlowBench(cloud, usage, options.region())) {
            DemoCommand.stockInventory(cloud, options.region());
            out.printf("%nrelay bench: local cloud with pollers up in %d ms%n", cloud.startup().toMillis());
            out.flush();
            List<Double> latency = List.of();
            List<Double> templateLatency = List.of();
            FlowBench.Throughput throughput = null;
            if (parts.contains(LOCAL)) {
                FunctionSpec receiver = FunctionSpec.of(FlowBench.RECEIVER, HelloWorld.class.getName()
                        + "::handleRequest", helloWorldJar(work), Map.of(), options.region(), options.accountId())
                        .withMemoryMb(commonMemory(cloud.functions().functions())).withTimeoutSeconds(30);
                cloud.functions().register(receiver);
                latency = bench.publishToHandler(receiver, 10, messages);
                out.printf("  publish -> handler start: %d messages, p50 %.1f ms%n", latency.size(),
                        FlowReport.percentile(latency, 50));
                out.flush();
                Optional<FunctionSpec> ops = cloud.functions().functions().stream()
                        .filter(f -> f.logicalId().equals(DECIDER)).findFirst();
                if (ops.isPresent()) {
                    templateLatency = bench.templatePublishToHandler(ops.get().name(), 2, TEMPLATE_MESSAGES);
                    out.printf("  publish -> handler start through the template: %d messages, p50 %.1f ms%n",
                            templateLatency.size(), FlowReport.percentile(templateLatency, 50));
                    out.flush();
                }
                prewarm(cloud, ONBOARDING, out);
                try {
                    bench.signups(WARM_UP_SIGNUPS); // not timed: the code paths of a signup run once in every JVM
                } catch (IllegalStateException e) {
                    out.println("  (warm-up: " + e.getMessage() + ")");
                }
                throughput = bench.signups(signups);
                out.printf("  %d signups in %.2f s%n", throughput.signups(), throughput.seconds());
                out.flush();
            }
            List<FlowBench.TypeCost> types = new ArrayList<>();
            if (parts.contains(REQUESTS)) {
                for (String sample : TYPE_SAMPLES) {
                    FlowBench.TypeCost cost = bench.requestsPerEvent(sample, eventsPerType);
                    out.printf("  %s: %d event(s) counted%s%n", cost.eventType(), cost.events(),
                            cost.complete() ? "" : " (still busy when the bench stopped waiting)");
                    out.flush();
                    types.add(cost);
                }
            }
            return new FlowReport(latency, templateLatency, throughput, types, FlowReport.DEFAULT_MIX,
                    CostModel.US_EAST_1);
        }
    }

    /**
     * Starts as many execution environments of each function as its event source mapping may invoke at once, the
     * functions in parallel and each one's JVMs one after another (all at once would starve each other's init on a
     * small machine), so that a timed run starts no JVM.
     */
    private static void prewarm(LocalCloud cloud, List<String> logicalIds, PrintWriter out) throws InterruptedException {
        long begin = System.nanoTime();
        List<Thread> starting = new ArrayList<>();
        for (FunctionSpec function : cloud.functions().functions()) {
            if (!logicalIds.contains(function.logicalId())) {
                continue;
            }
            int concurrency = cloud.mappings().mappings().stream()
                    .filter(m -> m.config().functionName().equals(function.name()))
                    .mapToInt(m -> m.config().maximumConcurrency()).sum();
            starting.add(Thread.ofVirtual().start(() -> cloud.functions().prewarm(function.name(),
                    Math.max(1, concurrency))));
        }
        for (Thread thread : starting) {
            thread.join();
        }
        out.printf("  %d function(s) prewarmed to their mappings' concurrency in %.1f s%n", starting.size(),
                (System.nanoTime() - begin) / 1e9);
        out.flush();
    }

    /** The cold-start part: a local cloud whose pollers are stopped, every function started afresh {@link #runs} times. */
    private BenchReport coldStarts(LocalCloudOptions options, Path work, PrintWriter out) throws Exception {
        try (LocalCloud cloud = LocalCloud.start(options)) {
            // No pollers: what a measured function sends to queues stays there instead of starting other JVMs.
            cloud.mappings().close();
            LambdaService functions = cloud.functions();
            List<FunctionSpec> measured = selected(functions.functions());
            FunctionSpec hello = FunctionSpec.of(HELLO_WORLD, HelloWorld.class.getName() + "::handleRequest",
                    helloWorldJar(work), Map.of(), options.region(), options.accountId())
                    .withMemoryMb(commonMemory(measured)).withTimeoutSeconds(30);
            functions.register(hello);
            out.printf("relay bench: local cloud up in %d ms; %d run(s) each of the hello world and %d function(s)%n",
                    cloud.startup().toMillis(), runs, measured.size());
            out.flush();
            BenchReport.Measured baseline = measure(functions, hello,
                    () -> new FirstEvent("{\"hello\":\"world\"}", "{\"hello\":\"world\"}"), out);
            BenchReport.EventCost cost = null;
            if (measured.stream().anyMatch(f -> f.logicalId().equals(DECIDER))) {
                cost = eventCost(cloud, measured.stream().filter(f -> f.logicalId().equals(DECIDER)).findFirst()
                        .orElseThrow(), options.region(), options.accountId());
            }
            List<BenchReport.Measured> results = new ArrayList<>();
            for (FunctionSpec function : measured) {
                results.add(measure(functions, function,
                        () -> firstEvent(function.logicalId(), options.region(), options.accountId()), out));
            }
            List<String> notMeasured = new ArrayList<>(BenchReport.NOT_MEASURED_YET);
            if (cost != null) {
                notMeasured.remove("requests_per_event");
                if (cost.decisions() > 0) {
                    notMeasured.remove("dynamodb_writes_per_decision");
                }
            }
            return new BenchReport(runs, baseline, results, notMeasured, cost);
        }
    }

    private List<FunctionSpec> selected(List<FunctionSpec> all) {
        Map<String, FunctionSpec> byId = all.stream().filter(f -> !f.name().equals(HELLO_WORLD))
                .collect(Collectors.toMap(FunctionSpec::logicalId, Function.identity()));
        List<String> unknown = only.stream().filter(id -> !byId.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no such function in the template: "
                    + String.join(", ", unknown) + " (functions: " + String.join(", ", byId.keySet().stream().sorted()
                    .toList()) + ")");
        }
        Collection<FunctionSpec> chosen = only.isEmpty() ? byId.values() : only.stream().distinct().map(byId::get)
                .toList();
        return chosen.stream().sorted(Comparator.comparing((FunctionSpec f) -> MEASURE_LAST.contains(f.logicalId()))
                .thenComparing(FunctionSpec::logicalId)).toList();
    }

    /** The memory size most of the measured functions have (the template's Globals), for the hello world. */
    private static int commonMemory(List<FunctionSpec> functions) {
        return functions.stream().collect(Collectors.groupingBy(FunctionSpec::memoryMb, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(FunctionSpec.DEFAULT_MEMORY_MB);
    }

    /**
     * The requests one {@code deploy.completed} costs while the ops function handles it (invoked directly with the
     * SQS event, so the publish and the poller's receive and delete are not in it), counted at the edge. Nothing else
     * runs meanwhile: the pollers are stopped.
     */
    private static BenchReport.EventCost eventCost(LocalCloud cloud, FunctionSpec ops, String region, String account)
            throws IOException {
        FirstEvent event = firstEvent(ops.logicalId(), region, account);
        Map<String, Long> before = cloud.edgeRequests().snapshot();
        LoggedInvocation invocation = cloud.functions().invokeLogged(ops.name(),
                event.payload().getBytes(StandardCharsets.UTF_8), null);
        Map<String, Long> delta = EdgeCounters.difference(before, cloud.edgeRequests().snapshot());
        if (!invocation.result().succeeded()) {
            throw new IllegalStateException(ops.logicalId() + " failed on " + event.label() + ": "
                    + errorOf(invocation.result().payloadText()));
        }
        cloud.functions().discardEnvironments(ops.name());
        return new BenchReport.EventCost("deploy.completed", ops.logicalId(), delta);
    }

    /** An event to send, made anew for each run. */
    interface Events {
        FirstEvent next() throws IOException;
    }

    private BenchReport.Measured measure(LambdaService functions, FunctionSpec function, Events events,
                                         PrintWriter out) throws IOException {
        List<Double> coldStarts = new ArrayList<>();
        List<Double> inits = new ArrayList<>();
        int errors = 0;
        String firstError = null;
        String label = null;
        for (int run = 0; run < runs; run++) {
            FirstEvent event = events.next();
            label = event.label();
            byte[] bytes = event.payload().getBytes(StandardCharsets.UTF_8);
            functions.discardEnvironments(function.name());
            long begin = System.nanoTime();
            LoggedInvocation invocation = functions.invokeLogged(function.name(), bytes, null);
            double millis = (System.nanoTime() - begin) / 1_000_000.0;
            coldStarts.add(millis);
            Matcher init = INIT_DURATION.matcher(new String(invocation.logTail(), StandardCharsets.UTF_8));
            if (init.find()) {
                inits.add(Double.parseDouble(init.group(1)));
            }
            if (!invocation.result().succeeded()) {
                errors++;
                if (firstError == null) {
                    firstError = errorOf(invocation.result().payloadText());
                }
            }
        }
        functions.discardEnvironments(function.name()); // frees the memory of the last JVM
        String id = function.name().equals(HELLO_WORLD) ? "hello world" : function.logicalId();
        BenchReport.Measured measured = new BenchReport.Measured(id, Files.size(function.jar()),
                usesLlm(function.jar()), function.memoryMb(), coldStarts, inits, errors, label, firstError);
        out.printf("  %-32s median %6.0f ms (%s)%s%n", id, measured.medianMs(), coldStarts.stream()
                .map(ms -> String.format(java.util.Locale.ROOT, "%.0f", ms)).collect(Collectors.joining(", ")),
                errors > 0 ? ", " + errors + " error response(s)" : "");
        out.flush();
        return measured;
    }

    private static String errorOf(String payload) {
        try {
            JsonNode error = Json.MAPPER.readTree(payload);
            String message = error.path("errorMessage").asText("");
            return error.path("errorType").asText("error") + (message.isEmpty() ? ""
                    : ": " + (message.length() > 160 ? message.substring(0, 160) + "..." : message));
        } catch (IOException e) {
            return payload.length() > 160 ? payload.substring(0, 160) + "..." : payload;
        }
    }

    /** Whether the deployment jar carries the OpenAI SDK (the function calls a model). */
    static boolean usesLlm(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(entry -> entry.getName().startsWith("com/openai/"));
        }
    }

    /** A jar holding the {@link HelloWorld} class alone: the baseline's whole deployment artifact. */
    static Path helloWorldJar(Path directory) throws IOException {
        String entry = HelloWorld.class.getName().replace('.', '/') + ".class";
        Path jar = directory.resolve("hello-world.jar");
        try (InputStream in = HelloWorld.class.getClassLoader().getResourceAsStream(entry);
             OutputStream file = Files.newOutputStream(jar);
             JarOutputStream zip = new JarOutputStream(file)) {
            if (in == null) {
                throw new IOException("class file not found: " + entry);
            }
            zip.putNextEntry(new JarEntry(entry));
            in.transferTo(zip);
            zip.closeEntry();
        }
        return jar;
    }

    record FirstEvent(String payload, String label) {
    }

    /**
     * A valid first event for each of Relay's functions: the repository's samples, or an SQS event around one. Every
     * call gives fresh ids (event, message, order), so no run finds the previous run's work recorded and takes the
     * cheaper idempotent path.
     */
    static FirstEvent firstEvent(String logicalId, String region, String accountId) throws IOException {
        Path home = LocalRun.home();
        return switch (logicalId) {
            case "OpsAgentsFunction" -> freshSqsSample(home, "events/lambda/ops-agents-deploy-succeeded.json");
            case "AuditFunction" -> sample(home, "events/lambda/audit-verify.json");
            case "IngestFunction" -> freshApiSample(home, "events/lambda/ingest-simple.json");
            case "FulfillmentFunction" -> freshFulfillmentSample(home,
                    "events/lambda/fulfillment-schedule-shipping.json");
            case "WelcomeEmailFunction", "ProvisioningFunction", "CrmFunction", "SalesNotifierFunction",
                 "OnboardingCoordinatorFunction" -> sqsEvent(home, "events/messages/customer-signup.json", region,
                    accountId);
            case "SagaStarterFunction" -> sqsEvent(home, "events/messages/order-placed.json", region, accountId);
            default -> new FirstEvent("{}", "{} (no sample for this function)");
        };
    }

    private static FirstEvent sample(Path home, String file) throws IOException {
        return new FirstEvent(Files.readString(home.resolve(file)), file);
    }

    private static String freshId() {
        return "bench-" + UUID.randomUUID();
    }

    /** An SQS sample whose message bodies get a fresh {@code event_id} and whose records a fresh message id. */
    private static FirstEvent freshSqsSample(Path home, String file) throws IOException {
        JsonNode event = Json.MAPPER.readTree(home.resolve(file).toFile());
        for (JsonNode record : event.path("Records")) {
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(record.path("body").asText());
            body.put("event_id", freshId());
            String text = Json.MAPPER.writeValueAsString(body);
            ((ObjectNode) record).put("body", text).put("md5OfBody", md5(text))
                    .put("messageId", UUID.randomUUID().toString());
        }
        return new FirstEvent(Json.MAPPER.writeValueAsString(event), file + " (fresh event id)");
    }

    /** An HTTP API sample whose JSON body gets a fresh {@code event_id}. */
    private static FirstEvent freshApiSample(Path home, String file) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(home.resolve(file).toFile());
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
        body.put("event_id", freshId());
        event.put("body", Json.MAPPER.writeValueAsString(body));
        if (event.path("headers") instanceof ObjectNode headers) {
            headers.remove("content-length");
        }
        return new FirstEvent(Json.MAPPER.writeValueAsString(event), file + " (fresh event id)");
    }

    /**
     * The sample with a fresh order and correlation, and without its simulated carrier timeout: the step's normal
     * path, not the recorded result of an earlier run.
     */
    private static FirstEvent freshFulfillmentSample(Path home, String file) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(home.resolve(file).toFile());
        String correlation = UUID.randomUUID().toString();
        event.put("correlation_id", correlation).put("order_event_id", correlation);
        if (event.path("order") instanceof ObjectNode order) {
            order.remove("simulate");
            order.put("order_id", "ord_bench_" + correlation.substring(0, 8));
        }
        return new FirstEvent(Json.MAPPER.writeValueAsString(event), file + " (fresh order, no order.simulate)");
    }

    /** The SQS event Lambda's poller would deliver for one message sent to a queue with raw message delivery. */
    static FirstEvent sqsEvent(Path home, String messageFile, String region, String accountId) throws IOException {
        ObjectNode message = (ObjectNode) Json.MAPPER.readTree(home.resolve(messageFile).toFile());
        message.put("event_id", freshId());
        String body = Json.MAPPER.writeValueAsString(message);
        String type = message.path("event_type").asText();
        long now = System.currentTimeMillis();
        ObjectNode event = Json.MAPPER.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("messageId", UUID.randomUUID().toString());
        record.put("receiptHandle", "relay-bench-" + UUID.randomUUID());
        record.put("body", body);
        record.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp", Long.toString(now))
                .put("SenderId", accountId).put("ApproximateFirstReceiveTimestamp", Long.toString(now));
        ObjectNode attribute = record.putObject("messageAttributes").putObject("type");
        attribute.put("stringValue", type);
        attribute.putArray("stringListValues");
        attribute.putArray("binaryListValues");
        attribute.put("dataType", "String");
        record.put("md5OfBody", md5(body));
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", "arn:aws:sqs:" + region + ":" + accountId + ":relay-bench");
        record.put("awsRegion", region);
        return new FirstEvent(Json.MAPPER.writeValueAsString(event), "SQS event of " + messageFile + " (fresh event id)");
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
