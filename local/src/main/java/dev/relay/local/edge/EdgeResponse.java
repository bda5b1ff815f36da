package dev.relay.local.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer from a local service, independent of the server that carries it. */
public record EdgeResponse(int status, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public EdgeResponse {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
    }

    public static EdgeResponse of(int status, String contentType, String body) {
        return new EdgeResponse(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    public static EdgeResponse json(int status, String body) {
        return of(status, "application/json", body);
    }

    /** The error shape of AWS's JSON protocols: {@code {"__type": "...", "message": "..."}}. */
    public static EdgeResponse awsJsonError(int status, String type, String message) {
        ObjectNode error = JSON.createObjectNode().put("__type", type).put("message", message);
        return new EdgeResponse(status, Map.of("Content-Type", "application/x-amz-json-1.0", "x-amzn-ErrorType", type),
                error.toString().getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
