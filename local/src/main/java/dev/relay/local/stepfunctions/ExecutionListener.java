package dev.relay.local.stepfunctions;

/** Observes history as it is written, e.g. to stream it to the local console or to CloudWatch-style logs. */
@FunctionalInterface
public interface ExecutionListener {
    ExecutionListener NONE = (execution, event) -> { };

    void onEvent(Execution execution, HistoryEvent event);
}
