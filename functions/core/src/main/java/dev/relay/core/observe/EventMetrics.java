package dev.relay.core.observe;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * CloudWatch metrics as EMF log lines (namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, default
 * {@code Relay}): events handled, failed (of those, dead-lettered at once) and how long each took. Flushed once per
 * invocation.
 */
public final class EventMetrics {

    public static final String HANDLED = "EventsHandled";
    public static final String FAILED = "EventsFailed";
    /** Failed events sent to the dead-letter queue at once, because no retry could cure them. */
    public static final String DEAD_LETTERED = "EventsDeadLettered";
    public static final String LATENCY = "EventLatency";

    private final Metrics metrics;

    public EventMetrics() {
        this.metrics = MetricsFactory.getMetricsInstance();
        if (System.getenv("POWERTOOLS_METRICS_NAMESPACE") == null) {
            metrics.setNamespace("Relay");
        }
        metrics.setRaiseOnEmptyMetrics(false);
    }

    public void handled(long millis) {
        metrics.addMetric(HANDLED, 1, MetricUnit.COUNT);
        metrics.addMetric(LATENCY, millis, MetricUnit.MILLISECONDS);
    }

    public void failed() {
        metrics.addMetric(FAILED, 1, MetricUnit.COUNT);
    }

    public void deadLettered() {
        metrics.addMetric(DEAD_LETTERED, 1, MetricUnit.COUNT);
    }

    public void flush() {
        metrics.flush();
    }
}
