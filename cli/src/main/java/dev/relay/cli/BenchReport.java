package dev.relay.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code relay bench} measured, as a table for people and JSON for tracking. Pure: no JVM is started here, so the
 * shape and the arithmetic (medians, ratios) are unit-tested on their own.
 *
 * <p>Figures that were not measured are left out of the JSON (never written as zero) and listed under
 * {@code not_measured}; the table says "not measured yet" for them.
 */
record BenchReport(int runs, Measured helloWorld, List<Measured> functions, List<String> notMeasured,
                   EventCost cost, FlowReport flows) {

    /** Every figure of the issue that {@code relay bench} does not measure yet. */
    static final List<String> NOT_MEASURED_YET = List.of("dynamodb_writes_per_decision",
            "local.publish_to_handler_ms_p50", "local.publish_to_handler_ms_p99", "local.signups_per_s",
            "requests_per_event", "cost_per_million_events_usd");


    /**
     * One function's cold starts.
     *
     * @param coldStartsMs from starting a fresh execution environment (a new JVM) to the first invocation's response,
     *                     one per run, in milliseconds
     * @param initMs       the {@code Init Duration} of each run's {@code REPORT} line, where there was one
     * @param errors       how many of the runs' first responses were function errors (they still count as responses)
     * @param event        which event the function was given
     * @param firstError   the error type and message of the first error response, or null
     */
    record Measured(String logicalId, long artifactBytes, boolean usesLlm, int memoryMb, List<Double> coldStartsMs,
                    List<Double> initMs, int errors, String event, String firstError) {

        Measured {
            Objects.requireNonNull(logicalId, "logicalId");
            coldStartsMs = List.copyOf(coldStartsMs);
            initMs = List.copyOf(initMs);
            if (coldStartsMs.isEmpty()) {
                throw new IllegalArgumentException(logicalId + ": no cold start measured");
            }
        }

        double artifactMb() {
            return artifactBytes / (1024.0 * 1024.0);
        }

        double medianMs() {
            return median(coldStartsMs);
        }

        double minMs() {
            return coldStartsMs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double maxMs() {
            return coldStartsMs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    /** DynamoDB's write actions: each request is one billed write request (a transaction's items bill 2 WCU each). */
    static final java.util.Set<String> DYNAMODB_WRITES = java.util.Set.of("PutItem", "UpdateItem", "DeleteItem",
            "BatchWriteItem", "TransactWriteItems");

    /**
     * The AWS requests one event caused at the edge while one function handled it.
     *
     * @param requests {@code service/action -> count}, as {@code EdgeCounters} keys them
     */
    record EventCost(String eventType, String function, Map<String, Long> requests) {

        EventCost {
            requests = Map.copyOf(requests);
        }

        Map<String, Long> perService() {
            Map<String, Long> services = new java.util.TreeMap<>();
            requests.forEach((key, count) -> services.merge(key.substring(0, key.indexOf('/')), count, Long::sum));
            return services;
        }

        long dynamoDbWrites() {
            return requests.entrySet().stream().filter(e -> e.getKey().startsWith("dynamodb/")
                    && DYNAMODB_WRITES.contains(e.getKey().substring("dynamodb/".length())))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Each decision is recorded in one {@code TransactWriteItems} (README, "The audit trail"). */
        long decisions() {
            return requests.getOrDefault("dynamodb/TransactWriteItems", 0L);
        }
    }

    BenchReport {
        if (helloWorld == null && !functions.isEmpty()) {
            throw new IllegalArgumentException("cold starts without the hello world's to compare them with");
        }
        functions = List.copyOf(functions);
        notMeasured = List.copyOf(notMeasured);
    }

    /** Without the end-to-end part. */
    BenchReport(int runs, Measured helloWorld, List<Measured> functions, List<String> notMeasured, EventCost cost) {
        this(runs, helloWorld, functions, notMeasured, cost, null);
    }

    /** The median; of an even count, the mean of the two middle values. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Issue 11's targets: an agent (a function with the model client) ≤ 20 MB and ≤ 2.5×, any other ≤ 8 MB and ≤ 1.8×. */
    static double artifactTargetMb(Measured function) {
        return function.usesLlm() ? 20 : 8;
    }

    static double ratioTarget(Measured function) {
        return function.usesLlm() ? 2.5 : 1.8;
    }

    /** "met", or how far off: {@code 1.3x over}. */
    static String verdict(double value, double target) {
        return value <= target ? "met" : String.format(Locale.ROOT, "%.1fx over", value / target);
    }

    /** A function's median cold start over the hello-world handler's: the figure to track. */
    double ratio(Measured function) {
        return function.medianMs() / helloWorld.medianMs();
    }

    ObjectNode json() {
        ObjectNode root = Json.object();
        root.put("runs", runs);
        if (helloWorld != null) {
            writeColdStarts(root);
        }
        if (cost != null) {
            if (cost.decisions() > 0) {
                root.put("dynamodb_writes_per_decision", round((double) cost.dynamoDbWrites() / cost.decisions(), 2));
            }
            if (flows == null) {
                ObjectNode perEvent = root.putObject("requests_per_event").putObject(cost.eventType());
                cost.perService().forEach(perEvent::put);
            }
            ObjectNode detail = root.putObject("requests_per_event_detail").putObject(cost.eventType());
            detail.put("function", cost.function());
            detail.put("decisions", cost.decisions());
            detail.put("dynamodb_write_requests", cost.dynamoDbWrites());
            ObjectNode actions = detail.putObject("actions");
            new java.util.TreeMap<>(cost.requests()).forEach(actions::put);
        }
        if (flows != null) {
            flows.writeTo(root);
        }
        notMeasured.forEach(root.putArray("not_measured")::add);
        return root;
    }

    private void writeColdStarts(ObjectNode root) {
        root.put("hello_world_cold_start_ms", round(helloWorld.medianMs(), 1));
        root.put("hello_world_artifact_mb", round(helloWorld.artifactMb(), 3));
        ObjectNode all = root.putObject("functions");
        for (Measured function : functions) {
            ObjectNode node = all.putObject(function.logicalId());
            node.put("artifact_mb", round(function.artifactMb(), 2));
            node.put("cold_start_ms", round(function.medianMs(), 1));
            node.put("cold_start_ms_min", round(function.minMs(), 1));
            node.put("cold_start_ms_max", round(function.maxMs(), 1));
            node.put("cold_start_ratio", round(ratio(function), 2));
            node.put("artifact_mb_target", artifactTargetMb(function));
            node.put("cold_start_ratio_target", ratioTarget(function));
            if (!function.initMs().isEmpty()) {
                node.put("init_ms", round(median(function.initMs()), 1));
            }
            node.put("uses_llm", function.usesLlm());
            node.put("memory_mb", function.memoryMb());
            node.put("first_response_errors", function.errors());
            node.put("event", function.event());
            if (function.firstError() != null) {
                node.put("first_error", function.firstError());
            }
        }
    }

    String jsonText() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json()) + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String table() {
        StringBuilder out = new StringBuilder();
        if (helloWorld != null) {
            coldStartTable(out);
        }
        if (cost != null) {
            out.append(String.format(Locale.ROOT, "%nOne %s handled by %s (invoked directly): requests %s%n",
                    cost.eventType(), cost.function(), cost.perService()));
            out.append(String.format(Locale.ROOT, "  actions %s%n", new java.util.TreeMap<>(cost.requests())));
            out.append(cost.decisions() > 0
                    ? String.format(Locale.ROOT, "  DynamoDB write requests per decision: %d / %d = %.2f (target <= 2: %s)%n",
                    cost.dynamoDbWrites(), cost.decisions(), (double) cost.dynamoDbWrites() / cost.decisions(),
                    verdict((double) cost.dynamoDbWrites() / cost.decisions(), 2))
                    : "  no decision recorded (no TransactWriteItems): writes per decision not measured\n");
        }
        if (flows != null) {
            out.append(flows.table());
        }
        for (String key : notMeasured) {
            out.append(String.format(Locale.ROOT, "%-32s not measured yet%n", key));
        }
        return out.toString();
    }

    private void coldStartTable(StringBuilder out) {
        out.append(String.format(Locale.ROOT, "Cold start: fresh JVM -> first response, median of %d runs (min-max)%n",
                runs));
        String format = "%-32s %9s %12s %17s %7s %8s %-22s %-22s %s%n";
        out.append(String.format(Locale.ROOT, format, "function", "jar MB", "cold ms", "min-max ms", "ratio",
                "LLM", "size target", "ratio target", "first event"));
        row(out, format, helloWorld, "1.00", "", "");
        for (Measured function : functions) {
            row(out, format, function, String.format(Locale.ROOT, "%.2f", ratio(function)),
                    String.format(Locale.ROOT, "<= %.0f MB: %s", artifactTargetMb(function),
                            verdict(function.artifactMb(), artifactTargetMb(function))),
                    String.format(Locale.ROOT, "<= %.1f: %s", ratioTarget(function),
                            verdict(ratio(function), ratioTarget(function))));
        }
        if (functions.stream().anyMatch(f -> f.errors() > 0)) {
            out.append("(*) errors/runs: the first response was a function error (still counted as a response)")
                    .append(System.lineSeparator());
            functions.stream().filter(f -> f.firstError() != null).forEach(f -> out.append(String.format(Locale.ROOT,
                    "    %s: %s%n", f.logicalId(), f.firstError())));
        }
    }

    private void row(StringBuilder out, String format, Measured m, String ratio, String sizeTarget,
                     String ratioTarget) {
        String name = m == helloWorld ? "hello world (baseline)" : m.logicalId();
        String event = m.errors() > 0 ? m.event() + " (*) " + m.errors() + "/" + m.coldStartsMs().size()
                : m.event();
        out.append(String.format(Locale.ROOT, format, name, String.format(Locale.ROOT, "%.2f", m.artifactMb()),
                String.format(Locale.ROOT, "%.0f", m.medianMs()),
                String.format(Locale.ROOT, "%.0f-%.0f", m.minMs(), m.maxMs()), ratio, m.usesLlm() ? "yes" : "no",
                sizeTarget, ratioTarget, event));
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
