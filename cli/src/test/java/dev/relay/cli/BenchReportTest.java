package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static BenchReport.Measured measured(String id, boolean llm, int errors, Double... ms) {
        return new BenchReport.Measured(id, 3 * 1024 * 1024, llm, 1024, List.of(ms), List.of(100.0, 300.0, 200.0),
                errors, "events/x.json", errors > 0 ? "java.lang.IllegalStateException: boom" : null);
    }

    private final BenchReport report = new BenchReport(3, measured("hello world", false, 0, 300.0, 200.0, 250.0),
            List.of(measured("OpsAgentsFunction", true, 0, 1000.0, 500.0, 900.0),
                    measured("AuditFunction", false, 1, 400.0, 800.0, 500.0)),
            BenchReport.NOT_MEASURED_YET, null);

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(BenchReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(BenchReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThatThrownBy(() -> BenchReport.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonHasTheIssueKeysAndTheRatioToTheHelloWorldMedian() {
        JsonNode json = report.json();
        assertThat(json.path("hello_world_cold_start_ms").asDouble()).isEqualTo(250.0);
        JsonNode ops = json.path("functions").path("OpsAgentsFunction");
        assertThat(ops.path("artifact_mb").asDouble()).isEqualTo(3.0);
        assertThat(ops.path("cold_start_ms").asDouble()).isEqualTo(900.0);
        assertThat(ops.path("cold_start_ms_min").asDouble()).isEqualTo(500.0);
        assertThat(ops.path("cold_start_ms_max").asDouble()).isEqualTo(1000.0);
        assertThat(ops.path("cold_start_ratio").asDouble()).isEqualTo(3.6);
        assertThat(ops.path("uses_llm").asBoolean()).isTrue();
        assertThat(ops.path("init_ms").asDouble()).isEqualTo(200.0);
        JsonNode audit = json.path("functions").path("AuditFunction");
        assertThat(audit.path("cold_start_ratio").asDouble()).isEqualTo(2.0);
        assertThat(audit.path("uses_llm").asBoolean()).isFalse();
        assertThat(audit.path("first_response_errors").asInt()).isEqualTo(1);
        assertThat(audit.path("first_error").asText()).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(ops.has("first_error")).isFalse();
    }

    @Test
    void eachFunctionIsHeldToItsTargetAndTheTableSaysHowFarOff() {
        JsonNode json = report.json();
        assertThat(json.at("/functions/OpsAgentsFunction/artifact_mb_target").asDouble()).isEqualTo(20.0);
        assertThat(json.at("/functions/OpsAgentsFunction/cold_start_ratio_target").asDouble()).isEqualTo(2.5);
        assertThat(json.at("/functions/AuditFunction/artifact_mb_target").asDouble()).isEqualTo(8.0);
        assertThat(json.at("/functions/AuditFunction/cold_start_ratio_target").asDouble()).isEqualTo(1.8);
        assertThat(BenchReport.verdict(2.5, 2.5)).isEqualTo("met");
        assertThat(BenchReport.verdict(3.6, 2.5)).isEqualTo("1.4x over");
        assertThat(report.table()).contains("<= 20 MB: met").contains("<= 2.5: 1.4x over")
                .contains("<= 1.8: 1.1x over");
    }

    @Test
    void whatWasNotMeasuredIsOmittedNotFaked() {
        JsonNode json = report.json();
        assertThat(json.has("dynamodb_writes_per_decision")).isFalse();
        assertThat(json.has("local")).isFalse();
        assertThat(json.has("requests_per_event")).isFalse();
        assertThat(json.has("cost_per_million_events_usd")).isFalse();
        assertThat(json.path("not_measured")).extracting(JsonNode::asText)
                .contains("dynamodb_writes_per_decision", "cost_per_million_events_usd");
        assertThat(report.table()).contains("cost_per_million_events_usd", "not measured yet");
    }

    @Test
    void tableMarksErrorResponsesAndShowsRatios() {
        String table = report.table();
        assertThat(table).contains("hello world (baseline)").contains("3.60").contains("2.00");
        assertThat(table.lines().filter(l -> l.startsWith("AuditFunction")).findFirst().orElseThrow())
                .contains("(*) 1/3");
    }

    @Test
    void requestsPerEventAndWritesPerDecisionFromTheEdgeCounts() {
        BenchReport.EventCost cost = new BenchReport.EventCost("deploy.completed", "OpsAgentsFunction", java.util.Map.of(
                "dynamodb/TransactWriteItems", 2L, "dynamodb/UpdateItem", 2L, "dynamodb/Query", 2L,
                "sns/Publish", 1L, "model/POST /v1/responses", 3L));
        BenchReport withCost = new BenchReport(3, report.helloWorld(), report.functions(), List.of(), cost);
        JsonNode json = withCost.json();
        assertThat(json.path("dynamodb_writes_per_decision").asDouble()).isEqualTo(2.0);
        assertThat(json.path("requests_per_event").path("deploy.completed").path("dynamodb").asLong()).isEqualTo(6);
        assertThat(json.path("requests_per_event").path("deploy.completed").path("sns").asLong()).isEqualTo(1);
        assertThat(json.path("requests_per_event").path("deploy.completed").path("model").asLong()).isEqualTo(3);
        assertThat(withCost.table()).contains("DynamoDB write requests per decision: 4 / 2 = 2.00");
    }
}
