package dev.relay.core.worker;

import dev.relay.core.Environment;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.Router;
import dev.relay.core.agent.Routing;
import dev.relay.core.agent.UnroutedEventException;
import dev.relay.core.audit.AlreadyCompletedException;
import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.Completion;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.aws.AwsSecretStore;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;
import dev.relay.core.llm.LanguageModel;
import dev.relay.core.llm.LazyModel;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.snapstart.Priming;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * One event through an agent, exactly once in effect. If the agent already finished the event (a redelivery), nothing
 * is decided again and the model is not called: if its follow-ups were published, nothing happens at all; if the
 * function died before publishing them, they are published now from the audit trail, with the ids and content first
 * recorded. Otherwise the agent decides, its audit records and completion are written in one transaction, the
 * follow-ups are published, and the completion is marked published: two DynamoDB write requests per decision (one
 * when it has no follow-ups).
 * A duplicate publish can only happen if the function dies between publishing and marking (or two deliveries of one
 * event run at once); it carries the same event id, which is what consumers deduplicate on.
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

    /**
     * The pipeline a Lambda function builds once per execution environment: the model from {@link LlmSettings} (built
     * on the first model call, so agents that never ask it need no key), the audit trail in tables
     * {@code AUDIT_TABLE} and {@code IDEMPOTENCY_TABLE}, follow-ups to the topic in {@code EVENTS_TOPIC_ARN}. Under
     * SnapStart, {@link Priming} runs the model client on canned data before the snapshot.
     */
    public static AgentPipeline fromEnvironment(List<? extends Agent> agents, String source) {
        Environment env = Environment.system();
        LanguageModel model = new LazyModel(() -> new LlmGateway(LlmSettings.from(env, new AwsSecretStore())));
        EventPublisher topic = new SnsEventPublisher(AwsClients.build(SnsClient.builder()), env.required("EVENTS_TOPIC_ARN"));
        AuditTrail trail = new AuditTrail(new AuditTable(AwsClients.build(DynamoDbClient.builder()),
                env.required("AUDIT_TABLE"), env.required("IDEMPOTENCY_TABLE")));
        Priming.register(LlmGateway::prime);
        return new AgentPipeline(new Router(agents, model, source), trail, topic);
    }

    @Override
    public void process(Envelope event) {
        decide(event);
    }

    /**
     * Runs the event through its agent as {@link #process} does and returns the decision: the one just made, or the
     * one recorded when the agent had already finished this event. Workflow steps return it as their result.
     */
    public Decision decide(Envelope event) {
        Agent agent = router.agentFor(event).orElseThrow(() -> new UnroutedEventException(event.type(), router.eventTypes()));
        Optional<Completion> done = trail.completion(agent.id(), event.id());
        if (done.isPresent()) {
            return finishRedelivered(done.get());
        }
        Instant receivedAt = clock.instant();
        if (!(router.route(event) instanceof Routing.Handled handled)) {
            throw new UnroutedEventException(event.type(), router.eventTypes());
        }
        AuditTrail.Recorded recorded;
        try {
            recorded = trail.recordDecision(handled, receivedAt);
        } catch (AlreadyCompletedException e) {
            // A concurrent delivery of the same event won: its decision stands, this one is dropped unrecorded.
            return finishRedelivered(e.completion());
        }
        publish(recorded.handled().followUps(), recorded.completion());
        return recorded.handled().decision();
    }

    private Decision finishRedelivered(Completion completion) {
        if (completion.publishedAt() == null) {
            List<Envelope> followUps = trail.recordedFollowUps(completion);
            LOG.info("{} already decided on this event: publishing its {} recorded follow-up(s), no model call",
                    completion.consumer(), followUps.size());
            publish(followUps, completion);
        } else {
            LOG.info("{} already decided on this event and published its follow-ups: nothing to do", completion.consumer());
        }
        return trail.recordedDecision(completion);
    }

    /** A decision without follow-ups has nothing to publish, nor to mark published (one write request fewer). */
    private void publish(List<Envelope> followUps, Completion completion) {
        if (!followUps.isEmpty()) {
            publisher.publish(followUps);
            trail.published(completion);
        }
    }
}
