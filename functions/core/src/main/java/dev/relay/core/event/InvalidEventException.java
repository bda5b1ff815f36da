package dev.relay.core.event;

import dev.relay.core.NonRetryable;

/**
 * An event that cannot enter the system. {@link #field()} names the offending attribute as a JSON path
 * ({@code $} for the document itself), so callers can return it as-is in a problem detail or DLQ reason.
 */
public final class InvalidEventException extends RuntimeException implements NonRetryable {

    private final String field;
    private final String reason;

    public InvalidEventException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
