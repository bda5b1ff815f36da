package dev.relay.ingest;

import dev.relay.core.event.Envelope;
import dev.relay.core.observe.EventLog;
import dev.relay.ingest.AcceptanceLedger.Reservation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Accepts events onto the topic: each event is published, and only a published event is reported accepted. Events
 * whose producer chose the id are published once per id ({@link AcceptanceLedger}); the rest are new events each time.
 * The events of one request are published together (SNS PublishBatch) and answered one by one.
 */
public final class Ingestion {

    private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);

    /** What became of one event. */
    sealed interface Outcome {
        /** @param again whether this answers a retry of an event accepted before */
        record Accepted(Receipt receipt, boolean again) implements Outcome {
        }

        record Refused(Problem problem) implements Outcome {
        }
    }

    private final AcceptanceLedger ledger;
    private final TopicPublisher topic;

    public Ingestion(AcceptanceLedger ledger, TopicPublisher topic) {
        this.ledger = ledger;
        this.topic = topic;
    }

    /** One outcome per submission, in order. */
    List<Outcome> accept(List<Submission> submissions) {
        Outcome[] outcomes = new Outcome[submissions.size()];
        List<Publication> publications = new ArrayList<>();
        Map<String, Integer> firstWithId = new HashMap<>();
        Map<Integer, Integer> sameAs = new HashMap<>();
        for (int i = 0; i < submissions.size(); i++) {
            switch (submissions.get(i)) {
                case Submission.Invalid invalid -> outcomes[i] = new Outcome.Refused(invalid.problem());
                case Submission.Valid valid -> {
                    Envelope event = valid.event();
                    Integer first = firstWithId.putIfAbsent(event.id(), i);
                    if (first != null && valid.idGiven()) {
                        sameAs.put(i, first); // answered as the first; a different event with its id is a conflict
                        continue;
                    }
                    int size = SnsTopic.size(event);
                    if (size > Envelope.MAX_BYTES) {
                        outcomes[i] = new Outcome.Refused(Problem.tooLarge("$", "$: the event is " + size
                                + " bytes as published (with its message attributes); SNS takes at most "
                                + Envelope.MAX_BYTES));
                    } else if (valid.idGiven()) {
                        outcomes[i] = reserve(event, i, publications);
                    } else {
                        publications.add(new Publication(i, event, Optional.empty()));
                    }
                }
            }
        }
        publish(publications, outcomes);
        sameAs.forEach((i, first) -> outcomes[i] = duplicate((Submission.Valid) submissions.get(i),
                (Submission.Valid) submissions.get(first), outcomes[first]));
        for (int i = 0; i < outcomes.length; i++) {
            log(submissions.get(i), outcomes[i]);
        }
        return List.of(outcomes);
    }

    /** @return the outcome now, or null when the event is to be published (added to {@code publications}) */
    private Outcome reserve(Envelope event, int index, List<Publication> publications) {
        Reservation reservation;
        try {
            reservation = ledger.reserve(event);
        } catch (SdkException e) {
            LOG.warn("the idempotency table is unavailable: {}", e.getMessage());
            return new Outcome.Refused(e instanceof AwsServiceException service && service.isThrottlingException()
                    ? Problem.throttled("the idempotency table is throttling; retry later")
                    : Problem.unavailable("the idempotency table is unavailable; nothing was published"));
        }
        return switch (reservation) {
            case Reservation.Reserved reserved -> {
                publications.add(new Publication(index, reserved.event(), Optional.of(reserved.token())));
                yield null;
            }
            case Reservation.Accepted accepted -> new Outcome.Accepted(accepted.receipt(), true);
            case Reservation.Pending pending -> new Outcome.Refused(Problem.inProgress("id", "id: event " + event.id()
                    + " is being published by another request; retry in " + pending.retryAfter().toSeconds() + " s",
                    pending.retryAfter()));
            case Reservation.Conflict conflict -> new Outcome.Refused(Problem.conflict("id", "id: " + event.id()
                    + " was accepted for a different event (type, source, data or ids differ); an id names one event"));
        };
    }

    private void publish(List<Publication> publications, Outcome[] outcomes) {
        if (publications.isEmpty()) {
            return;
        }
        List<Envelope> events = publications.stream().map(Publication::event).toList();
        List<Optional<Problem>> results;
        try {
            results = topic.publish(events);
        } catch (RuntimeException e) {
            LOG.error("publishing failed unexpectedly", e);
            results = events.stream().map(event -> Optional.of(Problem.unavailable(
                    "the events topic could not be reached; the event was not accepted: retry"))).toList();
        }
        for (int p = 0; p < publications.size(); p++) {
            Publication publication = publications.get(p);
            Receipt receipt = Receipt.of(publication.event());
            Optional<Problem> failure = results.get(p);
            if (failure.isEmpty()) {
                publication.token().ifPresent(token -> recordAccepted(token, publication.event(), receipt));
                outcomes[publication.index()] = new Outcome.Accepted(receipt, false);
            } else {
                publication.token().ifPresent(token -> release(token, publication.event()));
                outcomes[publication.index()] = new Outcome.Refused(failure.get());
            }
        }
    }

    /** Published is accepted, even if recording it fails: a retry then publishes again, which consumers deduplicate. */
    private void recordAccepted(String token, Envelope event, Receipt receipt) {
        try {
            ledger.accepted(token, event, receipt);
        } catch (SdkException e) {
            LOG.warn("event {} was published but could not be recorded as accepted: {}", event.id(), e.getMessage());
        }
    }

    /** Not published: give the id back so that a retry publishes (else its lease runs out). */
    private void release(String token, Envelope event) {
        try {
            ledger.release(token, event.id());
        } catch (SdkException e) {
            LOG.warn("event {} was not published and its reservation could not be released (it lapses in {}): {}",
                    event.id(), AcceptanceLedger.LEASE, e.getMessage());
        }
    }

    private static Outcome duplicate(Submission.Valid duplicate, Submission.Valid first, Outcome firstOutcome) {
        if (!AcceptanceLedger.fingerprint(duplicate.event()).equals(AcceptanceLedger.fingerprint(first.event()))) {
            return new Outcome.Refused(Problem.conflict("id", "id: " + duplicate.event().id()
                    + " names a different event earlier in this batch; an id names one event"));
        }
        return firstOutcome instanceof Outcome.Accepted accepted ? new Outcome.Accepted(accepted.receipt(), true)
                : firstOutcome;
    }

    @SuppressWarnings("try") // the EventLog only scopes the log line's fields
    private static void log(Submission submission, Outcome outcome) {
        if (!(submission instanceof Submission.Valid valid)) {
            LOG.info("refused {}: {}", ((Outcome.Refused) outcome).problem().status(),
                    ((Outcome.Refused) outcome).problem().detail());
            return;
        }
        try (EventLog ignored = EventLog.of(valid.event())) {
            switch (outcome) {
                case Outcome.Accepted accepted when accepted.again() -> LOG.info("accepted before; answered again");
                case Outcome.Accepted accepted -> LOG.info("accepted and published");
                case Outcome.Refused refused -> LOG.info("refused {}: {}", refused.problem().status(),
                        refused.problem().detail());
            }
        }
    }

    private record Publication(int index, Envelope event, Optional<String> token) {
    }
}
