package dev.relay.core.worker;

import dev.relay.core.agent.Router;
import dev.relay.core.agent.Routing;
import dev.relay.core.agent.UnroutedEventException;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;

/** Routes each event to its agent and publishes the follow-ups. */
public final class RoutingProcessor implements EventProcessor {

    private final Router router;
    private final EventPublisher publisher;

    public RoutingProcessor(Router router, EventPublisher publisher) {
        this.router = router;
        this.publisher = publisher;
    }

    @Override
    public void process(Envelope event) {
        switch (router.route(event)) {
            case Routing.Handled handled -> publisher.publish(handled.followUps());
            case Routing.Unrouted unrouted -> throw new UnroutedEventException(event.type(), unrouted.knownTypes());
        }
    }
}
