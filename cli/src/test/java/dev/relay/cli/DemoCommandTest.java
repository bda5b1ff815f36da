package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void demoRunsEverySampleAndShowsTheAgentsDecisions() {
        StringWriter out = new StringWriter();
        CommandLine relay = new CommandLine(new Relay()).setOut(new PrintWriter(out));

        int exit = relay.execute("demo", "--events", Path.of("../events/messages").toAbsolutePath().toString());

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("deploy-verifier decided verified")
                .contains("deploy-verifier decided remediation_suggested")
                .contains("emits deploy.remediation.suggested")
                .contains("customer.signup\n  -> no agent handles this type yet")
                .contains("0 refused");
    }

    @Test
    void aRefusedSampleFailsTheDemoNamingTheField(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("bad.json"), "{\"event_type\":\"deploy.completed\",\"payload\":[]}");
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new Relay()).setOut(new PrintWriter(out)).execute("demo", "--events", folder.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("bad.json: refused: payload: must be a JSON object, got an array");
    }
}
