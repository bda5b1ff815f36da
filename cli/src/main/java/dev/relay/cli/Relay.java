package dev.relay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code relay} command. */
@Command(name = "relay", mixinStandardHelpOptions = true, version = "relay 0.1.0",
        description = "Event-driven AI agents on AWS serverless: run them locally, publish, trace, audit.",
        subcommands = {UpCommand.class, DemoCommand.class})
public final class Relay {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Relay());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("relay: " + e.getMessage());
            return 1;
        });
        System.exit(commandLine.execute(args));
    }
}
