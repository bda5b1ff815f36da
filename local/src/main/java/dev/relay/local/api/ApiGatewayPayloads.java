package dev.relay.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Lambda proxy integration's two payload formats: the event API Gateway sends ({@code 2.0} for HTTP APIs,
 * {@code 1.0} for REST APIs) and how it turns the function's answer back into an HTTP response.
 */
final class ApiGatewayPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ApiGatewayPayloads() {
    }

    record Call(EdgeRequest request, Route route, Map<String, String> pathParameters, String requestId,
                String accountId, String sourceIp, Instant time) {
    }

    static ObjectNode event(Call call) {
        return call.route().payloadFormat().equals("1.0") ? v1(call) : v2(call);
    }

    private static ObjectNode v2(Call call) {
        EdgeRequest request = call.request();
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", call.route().routeKey())
                .put("rawPath", request.path()).put("rawQueryString", request.rawQuery());
        List<String> cookies = request.headers().getOrDefault("cookie", List.of()).stream()
                .flatMap(header -> java.util.Arrays.stream(header.split(";\\s*"))).toList();
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headers = event.putObject("headers");
        request.headers().forEach((name, values) -> {
            if (!name.equals("cookie")) {
                headers.put(name, String.join(",", values));
            }
        });
        Map<String, List<String>> query = query(request.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach((name, values) -> parameters.put(name, String.join(",", values)));
        }
        ObjectNode context = event.putObject("requestContext").put("accountId", call.accountId())
                .put("apiId", call.route().apiId()).put("domainName", request.header("host").orElse("localhost"))
                .put("domainPrefix", request.header("host").orElse("localhost").split("[.:]")[0]);
        context.putObject("http").put("method", request.method()).put("path", request.path())
                .put("protocol", "HTTP/1.1").put("sourceIp", call.sourceIp())
                .put("userAgent", request.header("user-agent").orElse(""));
        context.put("requestId", call.requestId()).put("routeKey", call.route().routeKey()).put("stage", "$default")
                .put("time", REQUEST_TIME.format(call.time())).put("timeEpoch", call.time().toEpochMilli());
        if (!call.pathParameters().isEmpty()) {
            event.set("pathParameters", JSON.valueToTree(call.pathParameters()));
        }
        body(event, request);
        return event;
    }

    private static ObjectNode v1(Call call) {
        EdgeRequest request = call.request();
        String resource = call.route().isDefault() ? request.path() : call.route().path();
        ObjectNode event = JSON.createObjectNode().put("resource", resource).put("path", request.path())
                .put("httpMethod", request.method());
        ObjectNode headers = event.putObject("headers");
        ObjectNode multiHeaders = event.putObject("multiValueHeaders");
        request.headers().forEach((name, values) -> {
            headers.put(name, values.getLast());
            values.forEach(multiHeaders.putArray(name)::add);
        });
        Map<String, List<String>> query = query(request.rawQuery());
        if (query.isEmpty()) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            query.forEach((name, values) -> {
                single.put(name, values.getLast());
                values.forEach(multi.putArray(name)::add);
            });
        }
        if (call.pathParameters().isEmpty()) {
            event.putNull("pathParameters");
        } else {
            event.set("pathParameters", JSON.valueToTree(call.pathParameters()));
        }
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext").put("resourcePath", resource)
                .put("httpMethod", request.method()).put("path", "/Prod" + request.path()).put("stage", "Prod")
                .put("requestId", call.requestId()).put("accountId", call.accountId())
                .put("apiId", call.route().apiId()).put("protocol", "HTTP/1.1")
                .put("requestTime", REQUEST_TIME.format(call.time()))
                .put("requestTimeEpoch", call.time().toEpochMilli());
        context.putObject("identity").put("sourceIp", call.sourceIp())
                .put("userAgent", request.header("user-agent").orElse(""));
        body(event, request);
        return event;
    }

    /** Text bodies go as they are; anything that is not valid UTF-8 goes base64-encoded, as API Gateway does. */
    private static void body(ObjectNode event, EdgeRequest request) {
        if (request.body().length == 0) {
            event.putNull("body");
            event.put("isBase64Encoded", false);
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(request.body())).toString();
            event.put("body", text).put("isBase64Encoded", false);
        } catch (CharacterCodingException e) {
            event.put("body", Base64.getEncoder().encodeToString(request.body())).put("isBase64Encoded", true);
        }
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
        }
        return parameters;
    }

    /**
     * The HTTP response for a function's answer. Format 2.0 accepts any JSON: an object with {@code statusCode} is a
     * full response, anything else is the 200 body. Format 1.0 needs {@code statusCode}; otherwise API Gateway answers
     * 502, as here.
     */
    static EdgeResponse response(String payloadFormat, byte[] payload) {
        JsonNode answer;
        try {
            answer = JSON.readTree(payload);
        } catch (IOException e) {
            answer = null;
        }
        boolean full = answer != null && answer.isObject() && answer.has("statusCode");
        if (!full) {
            if (payloadFormat.equals("1.0") || answer == null) {
                return EdgeResponse.json(502, "{\"message\":\"Internal server error\"}");
            }
            return EdgeResponse.json(200, answer.isTextual() ? answer.asText() : answer.toString());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        answer.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        answer.path("multiValueHeaders").properties().forEach(h -> {
            List<String> values = new java.util.ArrayList<>();
            h.getValue().forEach(v -> values.add(v.asText()));
            headers.put(h.getKey(), String.join(",", values));
        });
        ArrayNode cookies = answer.path("cookies").isArray() ? (ArrayNode) answer.path("cookies") : JSON.createArrayNode();
        if (!cookies.isEmpty()) {
            // The JDK server sends one header line per map entry; several cookies share one line here.
            List<String> values = new java.util.ArrayList<>();
            cookies.forEach(c -> values.add(c.asText()));
            headers.put("Set-Cookie", String.join(", ", values));
        }
        String body = answer.path("body").isNull() || answer.path("body").isMissingNode() ? ""
                : answer.path("body").asText();
        byte[] bytes = answer.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        // Header names are case-insensitive: a function's "content-type" is the Content-Type, not a second one.
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/json");
        }
        return new EdgeResponse(answer.path("statusCode").asInt(200), headers, bytes);
    }
}
