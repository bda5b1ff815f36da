package dev.relay.core.agent;

import dev.relay.core.NonRetryable;
import java.util.Set;

/** No agent of this function handles the event's type: retrying cannot help, so the event goes to the DLQ. */
public final class UnroutedEventException extends RuntimeException implements NonRetryable {

    public UnroutedEventException(String type, Set<String> knownTypes) {
        super("no agent here handles " + type + "; this function handles " + knownTypes, null, false, false);
    }
}
