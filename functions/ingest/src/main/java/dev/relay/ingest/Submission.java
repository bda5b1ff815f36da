package dev.relay.ingest;

import dev.relay.core.event.Envelope;

/** One event of a request, as read: a valid event, or why it cannot be one. */
sealed interface Submission {

    /**
     * @param idGiven whether the producer chose the id (a CloudEvent's {@code id}, a simple event's {@code event_id}):
     *                only then is the event idempotent, since only then can a retry name the same event
     */
    record Valid(Envelope event, boolean idGiven) implements Submission {
    }

    record Invalid(Problem problem) implements Submission {
    }
}
