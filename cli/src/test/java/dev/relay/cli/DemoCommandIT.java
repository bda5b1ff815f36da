package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole demo: the repository's template on the local cloud, functions in their own JVMs, the offline model. */
class DemoCommandIT {

    @Test
    void demoPublishesEverySampleAndObservesTheAgentsFollowUps() {
        System.setProperty("relay.home", Path.of("..").toAbsolutePath().normalize().toString());
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new Relay()).setOut(new PrintWriter(out)).execute("demo", "--timeout", "90");

        System.out.println(out);
        assertThat(exit).isZero();
        assertThat(out.toString())
                .containsPattern("local cloud ready in \\d+ ms")
                .containsPattern("deploy-completed.json  deploy.completed\\n  -> deploy.verified  \\{")
                .containsPattern("deploy-failed.json  deploy.completed\\n  -> deploy.remediation.suggested  \\{")
                .containsPattern("customer-signup.json  customer.signup\\n(  -> .*\\n)*  -> onboarding.complete  \\{")
                .containsPattern("order-shipping-fails.json  order.placed\\n(  -> .*\\n)*  -> order.rolled_back  \\{.*Carrier API timeout")
                .containsPattern("order-needs-approval.json  order.placed\\n(  -> .*\\n)*  -> order.fulfilled  \\{")
                .containsPattern("poison message demo-poison-1 .*\\n  -> in relay-ops-dlq after 1 receive\\(s\\): data.status: 'exploded' is not one of")
                .containsPattern("audit trail \\(relay-audit\\): \\d+ flows, \\d+ records, every hash chain intact")
                .contains("0 expected outcomes missing.");
    }

    @Test
    void aRefusedSampleFailsTheDemoNamingTheField(@TempDir Path folder) throws Exception {
        System.setProperty("relay.home", Path.of("..").toAbsolutePath().normalize().toString());
        Files.writeString(folder.resolve("bad.json"), "{\"event_type\":\"deploy.completed\",\"payload\":[]}");
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new Relay()).setOut(new PrintWriter(out))
                .execute("demo", "--events", folder.toString(), "--timeout", "60");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("bad.json: refused: payload: must be a JSON object, got an array")
                .doesNotContain("local cloud ready");
    }
}
