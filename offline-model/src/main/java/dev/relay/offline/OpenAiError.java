package dev.relay.offline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An error the offline model answers with, shaped like OpenAI's
 * {@code {"error":{"message","type","param","code"}}} so clients raise their usual exceptions.
 */
final class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> headers;

    OpenAiError(int status, String message, String type, String param, String code) {
        this(status, message, type, param, code, Map.of());
    }

    OpenAiError(int status, String message, String type, String param, String code, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    static OpenAiError invalidRequest(String param, String message) {
        return new OpenAiError(400, message, "invalid_request_error", param, null);
    }

    int status() {
        return status;
    }

    /** Headers the error response carries besides Content-Type, e.g. Allow or Retry-After. */
    Map<String, String> headers() {
        return headers;
    }

    ObjectNode toJson() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        return body;
    }
}
