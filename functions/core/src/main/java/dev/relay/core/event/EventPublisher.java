package dev.relay.core.event;

import java.util.List;

/** Where follow-up events go (on AWS, the SNS topic); throws if any event could not be accepted. */
public interface EventPublisher {

    void publish(List<Envelope> events);
}
