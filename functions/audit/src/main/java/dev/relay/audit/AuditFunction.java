package dev.relay.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.relay.core.Environment;
import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.snapstart.Priming;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The audit API behind the HTTP API (IAM-authorised): reads only, from tables {@code AUDIT_TABLE}/{@code IDEMPOTENCY_TABLE}. */
public final class AuditFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final AuditApi api;

    public AuditFunction() {
        this(fromEnvironment(Environment.system()));
    }

    AuditFunction(AuditApi api) {
        this.api = api;
    }

    private static AuditApi fromEnvironment(Environment env) {
        Priming.register();
        AuditTable table = new AuditTable(AwsClients.build(DynamoDbClient.builder()), env.required("AUDIT_TABLE"),
                env.required("IDEMPOTENCY_TABLE"));
        return new AuditApi(new AuditTrail(table), Clock.systemUTC());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        AuditApi.Response response = api.handle(event.getRouteKey(), event.getPathParameters(), event.getQueryStringParameters());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(Map.of("content-type", response.contentType()))
                .withBody(response.body())
                .build();
    }
}
