package dev.relay.fulfillment;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.relay.core.Environment;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.worker.QueueWorker;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/** {@code orders-queue}: starts one order-fulfilment execution per {@code order.placed}, named by the event id. */
public final class SagaStarterFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final QueueWorker worker;

    public SagaStarterFunction() {
        Environment env = Environment.system();
        this.worker = QueueWorker.fromEnvironment(List.of(new SagaStarter(new StepFunctionsExecutions(
                AwsClients.build(SfnClient.builder()), env.required("ORDER_SAGA_ARN")),
                env.seconds("APPROVAL_TIMEOUT_SECONDS", Duration.ofHours(24), 1, 365 * 24 * 3600))), FulfillmentFunction.SOURCE);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> worker.process(event));
    }
}
