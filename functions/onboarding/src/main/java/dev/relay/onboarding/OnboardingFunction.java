package dev.relay.onboarding;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.core.Environment;
import dev.relay.core.agent.Agent;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.worker.QueueWorker;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The handlers of the onboarding functions, one per queue (template.yaml): each runs one agent through the audited
 * queue worker. Built once per execution environment.
 */
public abstract class OnboardingFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {

    public static final String SOURCE = "urn:relay:onboarding";

    private final QueueWorker worker;

    protected OnboardingFunction(Function<Environment, Agent> agent) {
        this.worker = QueueWorker.fromEnvironment(List.of(agent.apply(Environment.system())), SOURCE);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> worker.process(event));
    }

    protected static DynamoDbOnboarding store(Environment env) {
        return new DynamoDbOnboarding(AwsClients.build(DynamoDbClient.builder()), DynamoDbOnboarding.Tables.from(env));
    }
}
