package dev.relay.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The end-to-end part of {@code relay bench} ({@link FlowBench}): delivery latency, signup throughput, requests and
 * cost per event type. Pure, like {@link BenchReport}, which embeds it.
 *
 * @param publishToHandlerMs one latency per message (SNS Publish to the handler's runtime taking the event); empty
 *                           when not measured
 * @param templatePublishToHandlerMs the same through the template's topic, queue and mapping (its batching window
 *                           included) to the ops agents; empty when not measured
 * @param signups            the onboarding throughput run, or null
 * @param types              one run per event type, in the order measured
 * @param mix                the blend the single cost figure is for: event type to share (adding up to 1)
 */
record FlowReport(List<Double> publishToHandlerMs, List<Double> templatePublishToHandlerMs,
                  FlowBench.Throughput signups, List<FlowBench.TypeCost> types, Map<String, Double> mix,
                  CostModel.Prices prices) {

    /** A guess at a Relay deployment's traffic: mostly ops events, some signups and orders. */
    static final Map<String, Double> DEFAULT_MIX = orderedMix("deploy.completed", 0.25, "alert.triggered", 0.25,
            "email.received", 0.15, "support.ticket.created", 0.15, "customer.signup", 0.1, "order.placed", 0.1);

    /** The type whose decisions {@code dynamodb_writes_per_decision} counts: one ops agent decides on it. */
    static final String DECISION_TYPE = "deploy.completed";

    FlowReport {
        publishToHandlerMs = List.copyOf(publishToHandlerMs);
        templatePublishToHandlerMs = List.copyOf(templatePublishToHandlerMs);
        types = List.copyOf(types);
        mix = new LinkedHashMap<>(mix);
        Objects.requireNonNull(prices, "prices");
    }

    /**
     * The {@code q}-th percentile by the nearest-rank method: the smallest value with at least {@code q}% of the
     * values at or below it (p50 of 1..100 is 50, p99 is 99; of 10 values p99 is the largest).
     */
    static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        if (!(q > 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + q);
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(q / 100 * sorted.size());
        return sorted.get(rank - 1);
    }

    /** DynamoDB write requests per decision, by the rule {@link BenchReport.EventCost} counts them with. */
    static double writesPerDecision(FlowBench.TypeCost type) {
        BenchReport.EventCost cost = new BenchReport.EventCost(type.eventType(), type.sample(), type.edge());
        return (double) cost.dynamoDbWrites() / cost.decisions();
    }

    /** Per type: what one event costs, in billable quantities. */
    Map<String, CostModel.Usage> usagePerEvent() {
        Map<String, CostModel.Usage> usage = new LinkedHashMap<>();
        types.forEach(type -> usage.put(type.eventType(), type.usage().per(type.events())));
        return usage;
    }

    /** Per type: USD per million events, by component and in total. */
    Map<String, Map<String, Double>> costPerMillion() {
        Map<String, Map<String, Double>> cost = new LinkedHashMap<>();
        usagePerEvent().forEach((type, usage) -> cost.put(type, CostModel.perMillionEvents(usage, prices)));
        return cost;
    }

    /** The mix's cost per million events, or null when a type of the mix was not measured. */
    Double blended() {
        Map<String, Double> totals = new LinkedHashMap<>();
        costPerMillion().forEach((type, cost) -> totals.put(type, cost.get("total")));
        return totals.keySet().containsAll(mix.keySet()) ? CostModel.blended(totals, mix) : null;
    }

    /** Adds {@code local}, {@code requests_per_event}, {@code cost_per_million_events_usd} and details to root. */
    void writeTo(ObjectNode root) {
        ObjectNode local = root.putObject("local");
        if (!publishToHandlerMs.isEmpty()) {
            local.put("publish_to_handler_ms_p50", BenchReport.round(percentile(publishToHandlerMs, 50), 1));
            local.put("publish_to_handler_ms_p99", BenchReport.round(percentile(publishToHandlerMs, 99), 1));
            local.put("publish_to_handler_messages", publishToHandlerMs.size());
        }
        if (!templatePublishToHandlerMs.isEmpty()) {
            local.put("template_publish_to_handler_ms_p50", BenchReport.round(percentile(templatePublishToHandlerMs, 50), 1));
            local.put("template_publish_to_handler_ms_p99", BenchReport.round(percentile(templatePublishToHandlerMs, 99), 1));
        }
        if (signups != null) {
            local.put("signups_per_s", BenchReport.round(signups.perSecond(), 2));
            local.put("signups", signups.signups());
            local.put("signups_seconds", BenchReport.round(signups.seconds(), 2));
            local.put("signups_completed", signups.completed());
            local.put("signups_stuck", signups.stuck());
            local.put("signups_environment_first_invocations", signups.coldStarts());
            ObjectNode functions = local.putObject("signups_invocations");
            signups.lambda().forEach((function, use) -> functions.putObject(function)
                    .put("invocations", use.invocations())
                    .put("duration_ms_p50", BenchReport.round(percentile(use.durationsMs(), 50), 1))
                    .put("duration_ms_p99", BenchReport.round(percentile(use.durationsMs(), 99), 1)));
        }
        if (local.isEmpty()) {
            root.remove("local");
        }
        if (types.isEmpty()) {
            return;
        }
        types.stream().filter(type -> type.eventType().equals(DECISION_TYPE)).findFirst()
                .filter(type -> type.edge().getOrDefault("dynamodb/TransactWriteItems", 0L) > 0)
                .ifPresent(type -> root.put("dynamodb_writes_per_decision", BenchReport.round(writesPerDecision(type), 2)));
        ObjectNode requests = root.putObject("requests_per_event");
        ObjectNode warm = root.putObject("warm_invocation_ms");
        for (FlowBench.TypeCost type : types) {
            ObjectNode perEvent = requests.putObject(type.eventType());
            requestsPerService(type).forEach((service, count) -> perEvent.put(service, BenchReport.round(count, 2)));
            CostModel.Usage usage = type.usage().per(type.events());
            perEvent.put("dynamodb_wru", BenchReport.round(usage.dynamoDbWriteUnits(), 2));
            perEvent.put("dynamodb_rru", BenchReport.round(usage.dynamoDbReadUnits(), 2));
            perEvent.put("lambda_invocations", BenchReport.round(usage.lambdaRequests(), 2));
            perEvent.put("lambda_gb_s", BenchReport.round(usage.lambdaGbSeconds(), 4));
            perEvent.put("states_transitions", BenchReport.round(usage.transitions(), 2));
            perEvent.put("events", type.events());
            if (!type.complete()) {
                perEvent.put("incomplete", true);
            }
            ObjectNode functions = warm.putObject(type.eventType());
            type.lambda().forEach((function, use) -> {
                ObjectNode durations = functions.putObject(function);
                durations.put("p50", BenchReport.round(percentile(use.durationsMs(), 50), 1));
                durations.put("p99", BenchReport.round(percentile(use.durationsMs(), 99), 1));
                durations.put("invocations", use.invocations());
            });
        }
        ObjectNode cost = root.putObject("cost_per_million_events_usd");
        Map<String, Map<String, Double>> perType = costPerMillion();
        ObjectNode byType = cost.putObject("by_type");
        perType.forEach((type, components) -> {
            ObjectNode node = byType.putObject(type);
            components.forEach((component, usd) -> node.put(component, BenchReport.round(usd, 2)));
        });
        Double blended = blended();
        if (blended != null) {
            cost.put("blended", BenchReport.round(blended, 2));
        }
        ObjectNode mixNode = cost.putObject("mix");
        mix.forEach(mixNode::put);
        cost.put("prices", prices.source());
        cost.put("excludes", "the LLM, free tiers, CloudWatch Logs, KMS, data transfer, idle polling");
    }

    /**
     * One event's requests per service: the edge's counts (functions and the producer), the pollers' SQS requests and
     * SNS's deliveries to SQS added to {@code sqs}.
     */
    static Map<String, Double> requestsPerService(FlowBench.TypeCost type) {
        Map<String, Double> services = new TreeMap<>();
        type.edge().forEach((key, count) -> services.merge(key.substring(0, key.indexOf('/')), (double) count,
                Double::sum));
        services.merge("sqs", (double) type.sqsByMappings(), Double::sum);
        services.replaceAll((service, count) -> count / type.events());
        return services;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nLocal cloud, end to end (pollers running, offline model)%n"));
        if (!publishToHandlerMs.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  publish -> handler start: p50 %.1f ms, p99 %.1f ms (%d messages,"
                            + " hello world, no batching window; target p50 <= 50 ms: %s)%n",
                    percentile(publishToHandlerMs, 50), percentile(publishToHandlerMs, 99), publishToHandlerMs.size(),
                    BenchReport.verdict(percentile(publishToHandlerMs, 50), 50)));
        }
        if (!templatePublishToHandlerMs.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  publish -> handler start through the template: p50 %.1f ms, p99"
                            + " %.1f ms (%d deploy.completed to the ops agents; their mapping's batching window"
                            + " included)%n", percentile(templatePublishToHandlerMs, 50),
                    percentile(templatePublishToHandlerMs, 99), templatePublishToHandlerMs.size()));
        }
        if (signups != null) {
            out.append(String.format(Locale.ROOT, "  signups: %d through the onboarding in %.2f s = %.1f signups/s"
                            + " (%d complete, %d stuck; %d environments' first invocations among them; target >= 20/s: %s)%n",
                    signups.signups(),
                    signups.seconds(), signups.perSecond(), signups.completed(), signups.stuck(),
                    signups.coldStarts(), signups.perSecond() >= 20 ? "met"
                            : String.format(Locale.ROOT, "%.1fx short", 20 / signups.perSecond())));
        }
        if (types.isEmpty()) {
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "%nRequests per event (each event alone, everything it caused)%n"));
        String format = "%-24s %6s %6s %6s %6s %6s %6s %6s %6s %6s %9s%n";
        out.append(String.format(Locale.ROOT, format, "event type", "sqs", "sns", "ddb", "wru", "rru", "lambda",
                "GB-ms", "states", "other", "$/M ev"));
        Map<String, Map<String, Double>> cost = costPerMillion();
        for (FlowBench.TypeCost type : types) {
            Map<String, Double> services = requestsPerService(type);
            CostModel.Usage usage = type.usage().per(type.events());
            double other = services.entrySet().stream()
                    .filter(e -> !List.of("sqs", "sns", "dynamodb").contains(e.getKey()))
                    .mapToDouble(Map.Entry::getValue).sum();
            out.append(String.format(Locale.ROOT, format, type.eventType() + (type.complete() ? "" : " (*)"),
                    f(services.getOrDefault("sqs", 0.0)), f(services.getOrDefault("sns", 0.0)),
                    f(services.getOrDefault("dynamodb", 0.0)), f(usage.dynamoDbWriteUnits()),
                    f(usage.dynamoDbReadUnits()), f(usage.lambdaRequests()), f(usage.lambdaGbSeconds() * 1000),
                    f(usage.transitions()), f(other), String.format(Locale.ROOT, "%.2f",
                            cost.get(type.eventType()).get("total"))));
        }
        Double blended = blended();
        out.append(String.format(Locale.ROOT, "  other = %s; $/M ev = USD per million events at %s, without the LLM%n",
                "SSM, Secrets Manager, the model's HTTP calls (not AWS)", prices.source()));
        if (blended != null) {
            out.append(String.format(Locale.ROOT, "  blended, mix %s: %.2f USD per million events%n", mix, blended));
        }
        if (types.stream().anyMatch(t -> !t.complete())) {
            out.append("  (*) still busy when the bench stopped waiting: counts may be short\n");
        }
        return out.toString();
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static Map<String, Double> orderedMix(Object... typeAndShare) {
        Map<String, Double> mix = new LinkedHashMap<>();
        for (int i = 0; i < typeAndShare.length; i += 2) {
            mix.put((String) typeAndShare[i], (Double) typeAndShare[i + 1]);
        }
        return mix;
    }
}
