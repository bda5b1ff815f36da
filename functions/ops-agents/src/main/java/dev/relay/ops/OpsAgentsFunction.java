package dev.relay.ops;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.core.agent.Agent;
import dev.relay.core.worker.QueueWorker;
import java.util.List;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** The ops-queue worker: routes each ops event to its agent. Built once per execution environment. */
public final class OpsAgentsFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {

    public static final String SOURCE = "urn:relay:ops-agents";

    private final QueueWorker worker;

    public OpsAgentsFunction() {
        this(QueueWorker.fromEnvironment(agents(), SOURCE));
    }

    OpsAgentsFunction(QueueWorker worker) {
        this.worker = worker;
    }

    /** The ops agents, one per event type this function handles. */
    public static List<Agent> agents() {
        return List.of(new DeployVerifier(), new IncidentTriager(), new EmailTriager(), new SupportTicketClassifier());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> worker.process(event));
    }
}
