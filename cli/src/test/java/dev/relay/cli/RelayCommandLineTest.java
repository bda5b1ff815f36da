package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.embedded.LocalPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The relay command line without a cloud: every command's help, and what a user gets for each kind of mistake. */
class RelayCommandLineTest {

    @BeforeAll
    static void home() {
        System.setProperty("relay.home", Path.of("..").toAbsolutePath().normalize().toString());
    }

    @Test
    void everyCommandsHelpDescribesItItsArgumentsAndOptionsAndGivesExamples() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Relay.commandLine(), commands);
        assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName()).contains("relay publish", "relay tail",
                "relay trace", "relay audit verify", "relay audit history", "relay audit chain", "relay audit replay",
                "relay dlq list", "relay dlq show", "relay dlq redrive", "relay dlq purge", "relay saga start",
                "relay saga status", "relay saga approve", "relay saga deny", "relay up", "relay demo");
        for (CommandLine command : commands) {
            CommandSpec spec = command.getCommandSpec();
            String name = spec.qualifiedName();
            assertThat(spec.usageMessage().description()).as(name + " description").isNotEmpty();
            assertThat(String.join("\n", spec.usageMessage().footer())).as(name + " examples").contains("  relay ");
            for (ArgSpec arg : spec.args()) {
                assertThat(String.join(" ", arg.description())).as(name + " " + arg.paramLabel()).isNotBlank();
            }
            StringWriter help = new StringWriter();
            List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
            args.add("--help");
            int exit = Relay.commandLine().setOut(new PrintWriter(help)).execute(args.toArray(String[]::new));
            assertThat(exit).as(name + " --help").isZero();
            assertThat(help.toString()).as(name + " --help").contains("Usage: " + name, "Exit codes:", "  3   not found");
        }
    }

    @Test
    void theCommandsActingOnATargetTakeTheSameTargetAndOutputOptions() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Relay.commandLine(), commands);
        commands.stream().map(CommandLine::getCommandSpec)
                .filter(spec -> spec.subcommands().isEmpty() && !List.of("up", "demo", "bench", "relay").contains(spec.name()))
                .forEach(spec -> assertThat(spec.options()).as(spec.qualifiedName())
                        .extracting(o -> o.longestName())
                        .contains("--local", "--endpoint", "--template", "--stack", "--region", "--output"));
    }

    @ParameterizedTest(name = "relay {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "publish                                        | 2 | Missing required parameter: 'FILE|-|SAMPLE'",
            "publish no-such-sample                         | 3 | no file no-such-sample, and no sample of that name in",
            "publish deploy-completed --stack relay --local | 2 | --stack acts on AWS; --local, --endpoint and --template",
            "publish deploy-completed --region eu-west-1    | 2 | --region goes with --stack NAME",
            "saga start deploy-completed                    | 2 | a saga starts from an order.placed event, not deploy.completed",
            "audit                                          | 2 | Missing required subcommand",
            "audit history deploy-verifier --limit 0        | 2 | --limit: 0 is not from 1 to 1000",
            "audit replay --to yesterday                    | 2 | --to: 'yesterday' is not an ISO-8601 instant",
            "tail --since forever                           | 2 | --since: 'forever' is not a duration such as 30s",
            "dlq redrive ops --max-velocity 501             | 2 | --max-velocity: 501 is not from 1 to 500",
            "trace                                          | 2 | Missing required parameter: 'CORRELATION_ID'"})
    void aMistakeIsOneLineSayingWhatToDoWithTheExitCodeOfItsKind(String command, int exit, String message) {
        Run run = run(command.trim().split(" +"));

        assertThat(run.exit()).as(run.err()).isEqualTo(exit);
        assertThat(run.err()).contains(message).doesNotContain("\tat ");
    }

    @Test
    void aTargetThatDoesNotAnswerIsAFailureNamingItAndHowToStartIt() {
        String endpoint = "http://127.0.0.1:" + LocalPorts.free();

        Run run = run("dlq", "list", "--endpoint", endpoint);

        assertThat(run.exit()).isEqualTo(Relay.FAILURE);
        assertThat(run.err().lines().toList()).singleElement().asString().startsWith("relay: cannot reach the local "
                + "cloud at " + endpoint).contains("start the local cloud with ./relay up");
        Run debug = run("dlq", "list", "--endpoint", endpoint, "--debug");
        assertThat(debug.err()).contains("\tat software.amazon.awssdk");
    }

    @Test
    void eventTypeGlobsMatchAcrossDots() {
        assertThat(Glob.of("deploy.*").matches("deploy.remediation.suggested")).isTrue();
        assertThat(Glob.of("deploy.*").matches("decision.verified")).isFalse();
        assertThat(Glob.of("*.completed").matches("deploy.completed")).isTrue();
        assertThat(Glob.of("order.?laced").matches("order.placed")).isTrue();
        assertThat(Glob.of("order.placed").matches("order+placed")).isFalse();
    }

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Relay.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }
}
