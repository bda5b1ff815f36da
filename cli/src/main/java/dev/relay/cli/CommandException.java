package dev.relay.cli;

/**
 * A problem a command reports to its user as one line, with the exit code that says which kind it is: the user asked
 * for something impossible ({@link #usage}), something does not exist ({@link #notFound}), or it did not work
 * ({@link #failure}). The message says what to do next.
 */
final class CommandException extends RuntimeException {

    private final int exitCode;

    private CommandException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CommandException usage(String message) {
        return new CommandException(Relay.USAGE, message);
    }

    static CommandException notFound(String message) {
        return new CommandException(Relay.NOT_FOUND, message);
    }

    static CommandException failure(String message) {
        return new CommandException(Relay.FAILURE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
