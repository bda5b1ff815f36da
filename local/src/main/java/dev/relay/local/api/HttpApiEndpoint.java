package dev.relay.local.api;

import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import dev.relay.local.lambda.FunctionInvoker;
import dev.relay.local.lambda.InvocationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Serves the template's HTTP API and REST API routes with the Lambda proxy integration, on its own port (3000 by
 * default, as {@code sam local start-api}). Authorizers are not emulated: every route is open locally.
 */
public final class HttpApiEndpoint implements Endpoint {

    private static final Logger LOG = LogManager.getLogger(HttpApiEndpoint.class);

    private final Routes routes;
    private final FunctionInvoker functions;
    private final String accountId;

    public HttpApiEndpoint(Routes routes, FunctionInvoker functions, String accountId) {
        this.routes = routes;
        this.functions = functions;
        this.accountId = accountId;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        var match = routes.find(request.method(), request.path());
        if (match.isEmpty()) {
            return EdgeResponse.json(404, "{\"message\":\"Not Found\"}");
        }
        Route route = match.get().getKey();
        String requestId = UUID.randomUUID().toString();
        ApiGatewayPayloads.Call call = new ApiGatewayPayloads.Call(request, route, match.get().getValue(), requestId,
                accountId, "127.0.0.1", Instant.now());
        byte[] event = ApiGatewayPayloads.event(call).toString().getBytes(StandardCharsets.UTF_8);
        InvocationResult result = functions.invoke(route.functionName(), event);
        if (!result.succeeded()) {
            LOG.warn("{} {} -> {} failed: {}", request.method(), request.path(), route.functionName(),
                    result.payloadText());
            return EdgeResponse.json(500, "{\"message\":\"Internal Server Error\"}");
        }
        EdgeResponse response = ApiGatewayPayloads.response(route.payloadFormat(), result.payload());
        Map<String, String> headers = new java.util.LinkedHashMap<>(response.headers());
        headers.put("apigw-requestid", requestId);
        return new EdgeResponse(response.status(), headers, response.body());
    }
}
