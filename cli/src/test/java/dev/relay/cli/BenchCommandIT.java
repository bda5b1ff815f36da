package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A small {@code relay bench} on the repository's template: every figure the issue asks for, with sane values. */
class BenchCommandIT {

    @Test
    void aSmallRunWritesEveryFigureOfTheIssue(@TempDir Path folder) throws Exception {
        System.setProperty("relay.home", Path.of("..").toAbsolutePath().normalize().toString());
        Path file = folder.resolve("bench.json");
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new Relay()).setOut(new PrintWriter(out)).execute("bench", "--runs", "1",
                "--only", "AuditFunction", "--messages", "5", "--signups", "5", "--events-per-type", "1",
                "--json", file.toString());

        System.out.println(out);
        assertThat(exit).isZero();
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        assertThat(json.path("hello_world_cold_start_ms").asDouble()).isPositive();
        JsonNode audit = json.path("functions").path("AuditFunction");
        assertThat(audit.path("artifact_mb").asDouble()).isPositive();
        assertThat(audit.path("cold_start_ms").asDouble()).isPositive();
        assertThat(audit.path("cold_start_ratio").asDouble()).isPositive();
        assertThat(audit.path("uses_llm").isBoolean()).isTrue();

        JsonNode local = json.path("local");
        assertThat(local.path("publish_to_handler_ms_p50").asDouble()).isPositive();
        assertThat(local.path("publish_to_handler_ms_p99").asDouble())
                .isGreaterThanOrEqualTo(local.path("publish_to_handler_ms_p50").asDouble());
        assertThat(local.path("signups_per_s").asDouble()).isPositive();
        assertThat(local.path("signups_completed").asInt()).isEqualTo(5);

        // two DynamoDB writes per decision: the decision's transaction and the published marker (README)
        assertThat(json.path("dynamodb_writes_per_decision").asDouble()).isBetween(1.0, 4.0);
        JsonNode requests = json.path("requests_per_event");
        for (String type : List.of("deploy.completed", "alert.triggered", "email.received", "support.ticket.created",
                "customer.signup", "order.placed")) {
            JsonNode perEvent = requests.path(type);
            assertThat(perEvent.path("sns").asDouble()).as(type + " publishes").isGreaterThanOrEqualTo(1);
            assertThat(perEvent.path("sqs").asDouble()).as(type + " SQS requests").isGreaterThanOrEqualTo(3);
            assertThat(perEvent.path("dynamodb").asDouble()).as(type + " DynamoDB requests").isPositive();
            assertThat(perEvent.path("lambda_invocations").asDouble()).as(type + " invocations")
                    .isGreaterThanOrEqualTo(1);
            assertThat(json.path("cost_per_million_events_usd").path("by_type").path(type).path("total").asDouble())
                    .as(type + " cost").isPositive();
        }
        // the onboarding fans out to four agents and the coordinator; the order saga runs a state machine
        assertThat(requests.path("customer.signup").path("lambda_invocations").asDouble()).isGreaterThanOrEqualTo(5);
        assertThat(requests.path("order.placed").path("states_transitions").asDouble()).isPositive();
        assertThat(json.path("cost_per_million_events_usd").path("blended").asDouble()).isPositive();
        assertThat(json.path("not_measured")).isEmpty();
        assertThat(out.toString()).contains("publish -> handler start", "signups/s", "Requests per event", "blended");
    }
}
