package dev.relay.ingest;

import dev.relay.core.event.Envelope;
import java.util.List;
import java.util.Optional;

/**
 * Where accepted events go (on AWS, the SNS topic), with an answer per event: a batch may be published in part, and
 * the API must never report accepted an event that was not published.
 */
public interface TopicPublisher {

    /** @return for each event, in order, empty when published, else why not (a 429, 503 or 4xx problem) */
    List<Optional<Problem>> publish(List<Envelope> events);
}
