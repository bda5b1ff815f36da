package dev.relay.core.audit;

/** Another delivery of the same event finished first: its decision stands and this one must not be recorded. */
public final class AlreadyCompletedException extends RuntimeException {

    private final Completion completion;

    public AlreadyCompletedException(Completion completion) {
        super(completion.consumer() + " already finished event " + completion.eventId(), null, false, false);
        this.completion = completion;
    }

    public Completion completion() {
        return completion;
    }
}
