package dev.relay.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.edge.EdgeServer;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.template.DefaultPhysicalIds;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP API and REST API routes over a real socket; the functions are plain Java behind the invoker port. */
class HttpApiEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Ingest:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: ingest
                  Handler: x.Ingest::handleRequest
                  Runtime: java25
                  CodeUri: functions/ingest
                  Events:
                    Post:
                      Type: HttpApi
                      Properties: { Path: "/events", Method: post }
                    Get:
                      Type: HttpApi
                      Properties: { Path: "/events/{id}", Method: get }
              Legacy:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: legacy
                  Handler: x.Legacy::handleRequest
                  Runtime: java25
                  CodeUri: functions/legacy
                  Events:
                    Proxy:
                      Type: Api
                      Properties: { Path: "/v1/{proxy+}", Method: any }
            """;

    private final Map<String, String> received = new ConcurrentHashMap<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private EdgeServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws TemplateException {
        Routes routes = Routes.of(template(TEMPLATE));
        server = EdgeServer.start(new InetSocketAddress("127.0.0.1", 0), new HttpApiEndpoint(routes,
                (name, payload) -> {
                    received.put(name, new String(payload, StandardCharsets.UTF_8));
                    String answer = answers.getOrDefault(name, "{\"statusCode\":201,\"body\":\"ok\"}");
                    return answer.equals("ERROR")
                            ? new InvocationResult("r", "{\"errorMessage\":\"boom\"}".getBytes(), Optional.of("Unhandled"))
                            : new InvocationResult("r", answer.getBytes(StandardCharsets.UTF_8), Optional.empty());
                }, "000000000000"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anHttpApiRouteSendsPayloadFormatTwoAndReturnsTheFunctionsResponse() throws Exception {
        HttpResponse<String> response = send("POST", "/events?a=1&a=2&b=x", "{\"event_type\":\"x\"}",
                "Cookie", "c1=v1; c2=v2");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("ok");
        JsonNode event = JSON.readTree(received.get("ingest"));
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("POST /events");
        assertThat(event.path("rawPath").asText()).isEqualTo("/events");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("a=1&a=2&b=x");
        assertThat(event.path("queryStringParameters").path("a").asText()).isEqualTo("1,2");
        assertThat(event.path("cookies")).hasSize(2);
        assertThat(event.path("requestContext").path("http").path("method").asText()).isEqualTo("POST");
        assertThat(event.path("requestContext").path("stage").asText()).isEqualTo("$default");
        assertThat(event.path("body").asText()).isEqualTo("{\"event_type\":\"x\"}");
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void pathParametersAndAPlainJsonAnswerBecomeA200() throws Exception {
        answers.put("ingest", "{\"id\":\"42\"}");
        HttpResponse<String> response = send("GET", "/events/42", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":\"42\"}");
        assertThat(JSON.readTree(received.get("ingest")).path("pathParameters").path("id").asText()).isEqualTo("42");
    }

    @Test
    void aRestApiRouteSendsPayloadFormatOneWithGreedyPath() throws Exception {
        answers.put("legacy", "{\"statusCode\":200,\"headers\":{\"X-A\":\"b\"},\"body\":\"hi\"}");
        HttpResponse<String> response = send("DELETE", "/v1/orders/7/items", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-a")).contains("b");
        JsonNode event = JSON.readTree(received.get("legacy"));
        assertThat(event.path("resource").asText()).isEqualTo("/v1/{proxy+}");
        assertThat(event.path("httpMethod").asText()).isEqualTo("DELETE");
        assertThat(event.path("pathParameters").path("proxy").asText()).isEqualTo("orders/7/items");
        assertThat(event.path("requestContext").path("stage").asText()).isEqualTo("Prod");
    }

    @Test
    void aFunctionsLowerCaseContentTypeIsTheOnlyContentType() throws Exception {
        answers.put("ingest", "{\"statusCode\":415,\"headers\":{\"content-type\":\"application/problem+json\"},"
                + "\"body\":\"{}\"}");
        HttpResponse<String> response = send("POST", "/events", "x");
        assertThat(response.headers().allValues("content-type")).containsExactly("application/problem+json");
    }

    @Test
    void errorsLookAsOnApiGateway() throws Exception {
        assertThat(send("GET", "/nowhere", null).statusCode()).isEqualTo(404);
        answers.put("ingest", "ERROR");
        HttpResponse<String> failed = send("POST", "/events", "{}");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        answers.put("legacy", "\"not a proxy response\"");
        assertThat(send("GET", "/v1/x", null).statusCode()).isEqualTo(502);
    }

    @Test
    void aRouteWithoutAPathIsATemplateErrorNamingTheEvent() {
        String bad = TEMPLATE.replace("Properties: { Path: \"/events\", Method: post }", "Properties: { Method: post }");
        assertThatThrownBy(() -> Routes.of(template(bad))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resources.Ingest.Properties.Events.Post.Properties.Path");
    }

    private HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Template template(String yaml) throws TemplateException {
        return Template.parse(yaml, "template.yaml", Path.of("."), StackContext.of("t", "us-east-1", "000000000000"),
                new DefaultPhysicalIds());
    }
}
