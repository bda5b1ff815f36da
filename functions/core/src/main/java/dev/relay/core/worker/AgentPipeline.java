package dev.relay.core.worker;

import dev.relay.core.agent.Agent;
import dev.relay.core.agent.Router;
import dev.relay.core.agent.Routing;
import dev.relay.core.agent.UnroutedEventException;
import dev.relay.core.audit.AlreadyCompletedException;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event through an agent, exactly once in effect: if the agent already finished the event (a redelivery), its
 * recorded follow-ups are published again and nothing else happens — no model call, no second decision. Otherwise
 * the agent decides, the decision is appended to the audit trail together with its completion (one transaction),
 * and only then are the follow-ups published. A crash between the two is healed by the redelivery: the follow-ups
 * come from the trail, with the same ids, so consumers see duplicates they already deduplicate by id.
 */
public final class AgentPipeline implements EventProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentPipeline.class);

    private final Router router;
    private final AuditTrail trail;
    private final EventPublisher publisher;
    private final Clock clock;

    public AgentPipeline(Router router, AuditTrail trail, EventPublisher publisher, Clock clock) {
        this.router = router;
        this.trail = trail;
        this.publisher = publisher;
        this.clock = clock;
    }

    public AgentPipeline(Router router, AuditTrail trail, EventPublisher publisher) {
        this(router, trail, publisher, Clock.systemUTC());
    }

    @Override
    public void process(Envelope event) {
        Agent agent = router.agentFor(event).orElseThrow(() -> new UnroutedEventException(event.type(), router.eventTypes()));
        Optional<List<Envelope>> recorded = trail.recordedFollowUps(agent.id(), event.id());
        if (recorded.isPresent()) {
            republish(agent.id(), recorded.get());
            return;
        }
        Instant receivedAt = clock.instant();
        if (!(router.route(event) instanceof Routing.Handled handled)) {
            throw new UnroutedEventException(event.type(), router.eventTypes());
        }
        try {
            trail.recordDecision(handled, receivedAt);
        } catch (AlreadyCompletedException e) {
            // A concurrent delivery of the same event won: its decision stands, this one is dropped unpublished.
            republish(agent.id(), trail.recordedFollowUps(e.completion()));
            return;
        }
        publisher.publish(handled.followUps());
    }

    private void republish(String agent, List<Envelope> followUps) {
        LOG.info("{} already decided on this event: publishing its {} recorded follow-up(s) again, no model call",
                agent, followUps.size());
        publisher.publish(followUps);
    }
}
