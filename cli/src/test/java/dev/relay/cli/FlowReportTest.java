package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowReportTest {

    private static final CostModel.Prices ONE_DOLLAR_EACH = new CostModel.Prices("test prices", 1, 1, 1, 1, 1, 1, 1);

    /** Two deploy.completed events: what they caused in all, as FlowBench counts it. */
    private static FlowBench.TypeCost deploys() {
        return new FlowBench.TypeCost("deploy.completed", "events/messages/deploy-completed.json", 2,
                Map.of("sns/Publish", 2L, "sns/PublishBatch", 2L, "dynamodb/TransactWriteItems", 2L,
                        "dynamodb/UpdateItem", 2L, "dynamodb/Query", 4L, "sqs/SendMessage", 1L, "ssm/GetParameter", 2L),
                Map.of("sqs/ReceiveMessage", 2L, "sqs/DeleteMessageBatch", 2L, "messages received", 4L,
                        "invocations", 2L),
                Map.of("dynamodb/TransactWriteItems", 4L),
                Map.of("ops", new FlowBench.LambdaUsage.Use(2, 0, 0, 300, 2048, List.of(100.0, 199.5))),
                6, true);
    }

    @Test
    void percentileIsTheNearestRank() {
        List<Double> hundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            hundred.add((double) i);
        }
        assertThat(FlowReport.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(FlowReport.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(FlowReport.percentile(hundred, 100)).isEqualTo(100.0);
        assertThat(FlowReport.percentile(List.of(3.0, 1.0, 2.0), 50)).isEqualTo(2.0);
        assertThat(FlowReport.percentile(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0), 99))
                .isEqualTo(10.0);
        assertThat(FlowReport.percentile(List.of(7.0), 1)).isEqualTo(7.0);
        assertThatThrownBy(() -> FlowReport.percentile(List.of(), 50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no values");
        assertThatThrownBy(() -> FlowReport.percentile(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(0, 100]");
    }

    @Test
    void usageCountsEveryBilledRequestOfTheEvents() {
        CostModel.Usage usage = deploys().usage();
        assertThat(usage.lambdaRequests()).isEqualTo(2);
        assertThat(usage.lambdaGbSeconds()).isCloseTo(0.6, within(1e-9)); // 300 ms at 2 GB
        // 1 sent by a function + 2 receives + 2 deletes + 4 deliveries by SNS
        assertThat(usage.sqsRequests()).isEqualTo(9);
        assertThat(usage.snsPublishes()).isEqualTo(4);
        // 4 transaction items at 2 WRU + 2 updates at 1 WRU; 4 queries at 1 RRU
        assertThat(usage.dynamoDbWriteUnits()).isEqualTo(10);
        assertThat(usage.dynamoDbReadUnits()).isEqualTo(4);
        assertThat(usage.transitions()).isEqualTo(6);
        assertThat(usage.per(2).sqsRequests()).isEqualTo(4.5);
        assertThatThrownBy(() -> usage.per(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events must be at least 1");
    }

    @Test
    void costPerMillionEventsPricesEachComponent() {
        CostModel.Usage perEvent = new CostModel.Usage(2, 0.25, 9, 3, 4, 2, 10);
        Map<String, Double> usd = CostModel.perMillionEvents(perEvent, CostModel.US_EAST_1);
        assertThat(usd.get("lambda_requests")).isCloseTo(0.40, within(1e-9));
        assertThat(usd.get("lambda_duration")).isCloseTo(0.25 * 1e6 * 0.0000133334, within(1e-9));
        assertThat(usd.get("sqs")).isCloseTo(3.60, within(1e-9));
        assertThat(usd.get("sns")).isCloseTo(1.50, within(1e-9));
        assertThat(usd.get("dynamodb")).isCloseTo(4 * 0.625 + 2 * 0.125, within(1e-9));
        assertThat(usd.get("step_functions")).isCloseTo(250.0, within(1e-9));
        assertThat(usd.get("total")).isCloseTo(usd.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .mapToDouble(Map.Entry::getValue).sum(), within(1e-9));
    }

    @Test
    void blendedCostWeighsEachTypeByItsShare() {
        assertThat(CostModel.blended(Map.of("a", 10.0, "b", 20.0, "c", 99.0), Map.of("a", 0.75, "b", 0.25)))
                .isCloseTo(12.5, within(1e-9));
        assertThatThrownBy(() -> CostModel.blended(Map.of("a", 10.0), Map.of("a", 0.5, "b", 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no cost measured for b");
        assertThatThrownBy(() -> CostModel.blended(Map.of("a", 10.0), Map.of("a", 0.9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add up to 0.9");
        assertThat(FlowReport.DEFAULT_MIX.values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void jsonHasTheIssueKeysPerTypeAndServiceAndTheBlendOnlyWhenEveryTypeOfTheMixWasMeasured() {
        FlowReport report = new FlowReport(List.of(30.0, 10.0, 20.0), List.of(1100.0),
                new FlowBench.Throughput(100, 4.0, 99, 1, Map.of()), List.of(deploys()),
                Map.of("deploy.completed", 1.0), ONE_DOLLAR_EACH);
        ObjectNode root = Json.object();
        report.writeTo(root);
        JsonNode local = root.path("local");
        assertThat(local.path("publish_to_handler_ms_p50").asDouble()).isEqualTo(20.0);
        assertThat(local.path("publish_to_handler_ms_p99").asDouble()).isEqualTo(30.0);
        assertThat(local.path("template_publish_to_handler_ms_p50").asDouble()).isEqualTo(1100.0);
        assertThat(local.path("signups_per_s").asDouble()).isEqualTo(25.0);
        JsonNode deploy = root.path("requests_per_event").path("deploy.completed");
        assertThat(deploy.path("sqs").asDouble()).isEqualTo(4.5);
        assertThat(deploy.path("sns").asDouble()).isEqualTo(2.0);
        assertThat(deploy.path("dynamodb").asDouble()).isEqualTo(4.0);
        assertThat(deploy.path("ssm").asDouble()).isEqualTo(1.0);
        assertThat(deploy.path("dynamodb_wru").asDouble()).isEqualTo(5.0);
        assertThat(deploy.path("states_transitions").asDouble()).isEqualTo(3.0);
        assertThat(root.path("warm_invocation_ms").path("deploy.completed").path("ops").path("p99").asDouble())
                .isEqualTo(199.5);
        JsonNode cost = root.path("cost_per_million_events_usd");
        // per event: 1 invocation, 0.3 GB-s, 4.5 SQS, 2 SNS, 5 WRU + 2 RRU, 3 transitions, at $1 per million each
        double total = 1 + 0.3 * 1e6 + 4.5 + 2 + 7 + 3;
        assertThat(cost.path("by_type").path("deploy.completed").path("total").asDouble())
                .isCloseTo(total, within(0.01));
        assertThat(cost.path("blended").asDouble()).isCloseTo(total, within(0.01));
        assertThat(cost.path("prices").asText()).isEqualTo("test prices");

        FlowReport unmeasuredMix = new FlowReport(List.of(), List.of(), null, List.of(deploys()),
                FlowReport.DEFAULT_MIX, ONE_DOLLAR_EACH);
        ObjectNode partial = Json.object();
        unmeasuredMix.writeTo(partial);
        assertThat(partial.has("local")).isFalse();
        assertThat(partial.path("cost_per_million_events_usd").has("blended")).isFalse();
        assertThat(unmeasuredMix.table()).contains("deploy.completed").doesNotContain("blended");
    }
}
