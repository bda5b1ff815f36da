package dev.relay.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.relay.core.Environment;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.snapstart.Priming;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * {@code POST /events}, {@code /events:batch} and {@code /webhooks/events} behind the HTTP API: events onto the topic
 * {@code EVENTS_TOPIC_ARN}, ids recorded in {@code IDEMPOTENCY_TABLE}, webhooks signed with the Secrets Manager secret
 * {@code WEBHOOK_SECRET_NAME}. Built once per execution environment.
 */
public final class IngestFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final IngestApi api;

    public IngestFunction() {
        this(fromEnvironment(Environment.system(), Clock.systemUTC()));
    }

    IngestFunction(IngestApi api) {
        this.api = api;
    }

    private static IngestApi fromEnvironment(Environment env, Clock clock) {
        Priming.register();
        // Calls give up well within the function's timeout (15 s): a slow dependency is answered 503, and a failed
        // publish releases its id, instead of the invocation dying with the id reserved until its lease ends.
        DynamoDbClient dynamo = AwsClients.build(DynamoDbClient.builder()
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(3))));
        String table = env.required("IDEMPOTENCY_TABLE");
        TopicPublisher topic = new SnsTopic(AwsClients.build(SnsClient.builder()
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(6)))), env.required("EVENTS_TOPIC_ARN"));
        Optional<WebhookSignature> webhooks = env.optional("WEBHOOK_SECRET_NAME").map(name -> new WebhookSignature(
                new SecretsManagerSecret(name), new ReplayGuard(dynamo, table, clock), clock));
        return new IngestApi(new Ingestion(new AcceptanceLedger(dynamo, table, clock), topic), webhooks);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            Response response;
            try {
                response = api.handle(new HttpRequest(routeKey(event), event.getHeaders(), body(event)));
            } catch (Problem problem) {
                response = problem.response();
            }
            return APIGatewayV2HTTPResponse.builder().withStatusCode(response.status())
                    .withHeaders(response.headers()).withBody(response.body()).build();
        });
    }

    /** The route as the HTTP API matched it; for hand-made events without one, method and path. */
    private static String routeKey(APIGatewayV2HTTPEvent event) {
        String routeKey = event.getRouteKey();
        if ((routeKey == null || routeKey.equals("$default")) && event.getRequestContext() != null
                && event.getRequestContext().getHttp() != null) {
            return event.getRequestContext().getHttp().getMethod() + " " + event.getRawPath();
        }
        return routeKey;
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (!event.getIsBase64Encoded()) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("body", "body: isBase64Encoded is true but the body is not valid base64 ("
                    + e.getMessage() + ")");
        }
    }
}
