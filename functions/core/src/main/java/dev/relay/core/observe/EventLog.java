package dev.relay.core.observe;

import dev.relay.core.event.Envelope;
import org.slf4j.MDC;

/**
 * Puts {@code correlation_id}, {@code event_id} and {@code event_type} on every log line written while an
 * event is handled (Powertools' JSON layout prints MDC keys as fields). Use with try-with-resources.
 */
public final class EventLog implements AutoCloseable {

    public static final String CORRELATION_ID = "correlation_id";
    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";

    private EventLog() {}

    public static EventLog of(Envelope event) {
        return of(event.correlationId(), event.id(), event.type());
    }

    /** For messages not yet parsed: whatever is known (a message id as the event id, say). */
    public static EventLog of(String correlationId, String eventId, String eventType) {
        put(CORRELATION_ID, correlationId);
        put(EVENT_ID, eventId);
        put(EVENT_TYPE, eventType);
        return new EventLog();
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(CORRELATION_ID);
        MDC.remove(EVENT_ID);
        MDC.remove(EVENT_TYPE);
    }
}
