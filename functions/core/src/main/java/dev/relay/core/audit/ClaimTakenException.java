package dev.relay.core.audit;

/** Another event holds the claimed name: the decision that needed it must not be recorded. */
public final class ClaimTakenException extends RuntimeException {

    public ClaimTakenException(String name) {
        super("claim " + name + " is held by another event", null, false, false);
    }
}
