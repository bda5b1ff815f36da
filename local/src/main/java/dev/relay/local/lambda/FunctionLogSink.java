package dev.relay.local.lambda;

/**
 * Where a function's log stream goes: its own stdout/stderr lines and Lambda's {@code START}/{@code END}/{@code REPORT}
 * lines, as CloudWatch Logs would receive them. Pluggable so the local cloud can print, store or serve them; called
 * from several threads at once.
 */
@FunctionalInterface
public interface FunctionLogSink {

    /** @param line one log line, without its line terminator */
    void line(String functionName, String line);

    /** Prints {@code [FunctionName] line} to standard output. */
    static FunctionLogSink stdout() {
        return (functionName, line) -> System.out.println("[" + functionName + "] " + line);
    }
}
