package dev.relay.cli;

import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code relay} command. */
@Command(name = "relay", mixinStandardHelpOptions = true, version = "relay 0.1.0", scope = ScopeType.INHERIT,
        usageHelpAutoWidth = true, sortOptions = false,
        description = "Event-driven AI agents on AWS serverless: run them locally, publish, trace, audit.",
        subcommands = {UpCommand.class, DemoCommand.class, BenchCommand.class, PublishCommand.class, TailCommand.class,
                TraceCommand.class, AuditCommand.class, DlqCommand.class, SagaCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (for audit verify: every chain intact)",
                "1:failed: AWS or the local cloud refused or could not be reached, a redrive failed, a trail is "
                        + "not intact",
                "2:usage: a bad option, argument or event file",
                "3:not found: no such queue, execution, flow, record, pending approval or sample"},
        footerHeading = "%nWhere the commands act (every command but up and demo):%n",
        footer = {"  --local [--endpoint URL] [--template FILE]   the local cloud of ./relay up (the default)",
                "  --stack NAME [--region REGION]               a deployed stack: names from its Outputs, credentials",
                "                                               from the standard AWS chain",
                "  -o, --output text|json                       lines for people, or JSON for scripts",
                "",
                "Examples:",
                "  relay up                                     # the local cloud, edge on port 4566",
                "  relay publish deploy-completed               # prints the event id and the correlation id",
                "  relay trace <correlation id>                 # what the agents did about it",
                "  relay tail --type 'order.*'",
                "  relay audit verify --stack relay --region eu-west-1",
                "  relay dlq show ops && relay dlq redrive ops",
                "  relay saga approve ord_1003"})
public final class Relay {

    public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    public static final int NOT_FOUND = 3;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace too.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it (tests run it in-process, with their own out and err). */
    public static CommandLine commandLine() {
        Relay relay = new Relay();
        CommandLine commandLine = new CommandLine(relay);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Problem problem = Problem.of(e, target(cmd));
            cmd.getErr().println("relay: " + problem.message());
            if (relay.debug) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return problem.exitCode();
        });
        return commandLine;
    }

    /** The target the failed command was given, to name it in the message. */
    private static Optional<TargetOptions.Described> target(CommandLine cmd) {
        return cmd.getCommandSpec().mixins().values().stream().map(CommandSpec::userObject)
                .filter(TargetOptions.class::isInstance).map(o -> ((TargetOptions) o).describe()).findFirst();
    }
}
