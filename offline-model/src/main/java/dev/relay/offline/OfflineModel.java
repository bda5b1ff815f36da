package dev.relay.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A deterministic stand-in for the OpenAI chat completions API, independent of any HTTP server:
 * {@link OfflineModelServer} carries it over HTTP, and the local cloud mounts {@link #handle} on its own.
 *
 * <h2>Endpoints</h2>
 * {@code POST /v1/chat/completions} (also {@code /chat/completions}), {@code GET /v1/models} and
 * {@code GET /v1/models/{id}}. Streaming, tools and audio are not offered. Any {@code Authorization} is accepted;
 * headers are never read, so keys are never seen or logged.
 *
 * <h2>Answers</h2>
 * The answer depends only on the request's {@code model}, {@code messages} and {@code response_format}:
 * the same request always gets the same answer. The response's {@code model} is
 * {@code "relay-offline/" + requested model}, so callers can tell that no real model answered.
 * <ul>
 *   <li>Text (no {@code response_format}, or {@code text}): {@code "[relay offline model] ..."} quoting the
 *       first 80 characters of the last user message.</li>
 *   <li>{@code json_object}: {@code {"answer": "[relay offline model] ...", "offline": true}}.</li>
 *   <li>{@code json_schema}: a JSON value that validates against the schema, every property present.</li>
 * </ul>
 *
 * <h2>Steering a structured answer from the prompt</h2>
 * For an enum property, the answer takes the first enum value, in the schema's order, that the system, developer
 * or user messages name for that property as {@code name: value} or {@code name=value} (case-insensitive, whole
 * word, quotes allowed, so a JSON payload containing {@code "verdict": "fail"} or the text {@code verdict: fail}
 * both select {@code fail}). Booleans likewise follow {@code name: true} / {@code name: false}. Array items use
 * the array property's name. Without such a marker the value is chosen by a SHA-256 of the messages and the
 * value's JSON path.
 *
 * <h2>Faults</h2>
 * {@link #enqueueFault} queues faults; each chat completion request takes the next one (first in, first out)
 * before it is even validated.
 */
public final class OfflineModel {

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final List<String> MODEL_IDS = List.of("relay-offline", "gpt-4o-mini", "gpt-4.1-mini", "gpt-5-mini");
    private static final long MODELS_CREATED = 1_735_689_600L; // 2025-01-01, so the model list never changes

    private final ChatAnswer answers;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new ArrayList<>();

    public OfflineModel() {
        this(Clock.systemUTC());
    }

    /** With the clock that stamps {@code created}; a fixed clock makes whole responses byte-for-byte repeatable. */
    public OfflineModel(Clock clock) {
        this.answers = new ChatAnswer(Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Answers one HTTP request.
     *
     * @param method the HTTP method, e.g. {@code POST}
     * @param path   the request path, e.g. {@code /v1/chat/completions} (a query string is ignored)
     * @param body   the request body, empty when there is none
     */
    public OfflineResponse handle(String method, String path, byte[] body) {
        String route = route(path);
        try {
            return switch (route) {
                case "/v1/chat/completions", "/chat/completions" -> {
                    requireMethod("POST", method, path);
                    yield chatCompletion(body);
                }
                case "/v1/models", "/models" -> {
                    requireMethod("GET", method, path);
                    ObjectNode list = JsonNodeFactory.instance.objectNode();
                    list.put("object", "list");
                    MODEL_IDS.forEach(id -> list.withArray("data").add(model(id)));
                    yield json(200, list);
                }
                default -> {
                    if (route.startsWith("/v1/models/") || route.startsWith("/models/")) {
                        requireMethod("GET", method, path);
                        yield json(200, model(route.substring(route.indexOf("/models/") + "/models/".length())));
                    }
                    throw new OpenAiError(404, "Unknown request URL: " + method + " " + path
                            + ". The relay offline model serves /v1/chat/completions and /v1/models.",
                            "invalid_request_error", null, "unknown_url");
                }
            };
        } catch (OpenAiError error) {
            return error(error);
        } catch (RuntimeException bug) {
            return error(new OpenAiError(500, "The relay offline model failed: " + bug, "server_error", null, null));
        }
    }

    /** The next chat completion request gets this fault instead of an answer (first in, first out). */
    public void enqueueFault(Fault fault) {
        faults.add(Objects.requireNonNull(fault, "fault"));
    }

    /** Chat completion requests received so far, including faulted and rejected ones. */
    public synchronized int chatCompletionCount() {
        return requests.size();
    }

    /** The bodies of the chat completion requests received, in order (a body that is not JSON appears as text). */
    public synchronized List<JsonNode> requests() {
        return requests.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    private OfflineResponse chatCompletion(byte[] body) {
        JsonNode parsed = parse(body);
        synchronized (this) {
            requests.add(parsed == null ? TextNode.valueOf(new String(body, StandardCharsets.UTF_8)) : parsed);
        }
        Fault fault = faults.poll();
        if (fault != null && !fault.delay().isZero()) {
            try {
                Thread.sleep(fault.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(new OpenAiError(503, "The relay offline model is shutting down.", "server_error", null, null));
            }
        }
        if (fault != null && !fault.answers()) {
            return faulted(fault);
        }
        if (parsed == null) {
            throw syntaxError(body);
        }
        return json(200, answers.answer(ChatRequest.parse(parsed)));
    }

    private static OfflineResponse faulted(Fault fault) {
        String type = fault.status() == 429 ? "rate_limit_exceeded" : fault.status() >= 500 ? "server_error" : "invalid_request_error";
        String message = "The relay offline model was told to fail this request with status " + fault.status() + " (injected fault).";
        Map<String, String> headers = new LinkedHashMap<>();
        Duration retryAfter = fault.retryAfter();
        if (retryAfter != null) {
            // Whole seconds for clients that only read Retry-After, exact milliseconds for those that read both.
            headers.put("Retry-After", Long.toString(ceilSeconds(retryAfter)));
            headers.put("retry-after-ms", Long.toString(retryAfter.toMillis()));
        }
        return error(new OpenAiError(fault.status(), message, type, null, type, headers));
    }

    private static long ceilSeconds(Duration duration) {
        return duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    }

    /** The parsed body, or null when it is not JSON. */
    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    private static OpenAiError syntaxError(byte[] body) {
        if (body.length == 0) {
            return OpenAiError.invalidRequest(null, "We could not parse the JSON body of your request: the body is empty.");
        }
        try {
            Json.MAPPER.readTree(body);
            return OpenAiError.invalidRequest(null, "We could not parse the JSON body of your request.");
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String location = where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            return OpenAiError.invalidRequest(null,
                    "We could not parse the JSON body of your request: " + e.getOriginalMessage() + location + ".");
        } catch (IOException e) {
            return OpenAiError.invalidRequest(null, "We could not parse the JSON body of your request: " + e.getMessage());
        }
    }

    private static ObjectNode model(String id) {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", MODELS_CREATED);
        model.put("owned_by", "relay-offline");
        return model;
    }

    private static String route(String path) {
        String route = path == null ? "/" : path;
        int query = route.indexOf('?');
        route = query >= 0 ? route.substring(0, query) : route;
        return route.length() > 1 && route.endsWith("/") ? route.substring(0, route.length() - 1) : route;
    }

    private static void requireMethod(String expected, String method, String path) {
        if (!expected.equalsIgnoreCase(method)) {
            throw new OpenAiError(405, "Method " + method + " is not allowed on " + path + "; use " + expected + ".",
                    "invalid_request_error", null, "method_not_allowed", Map.of("Allow", expected));
        }
    }

    private static OfflineResponse json(int status, JsonNode body) {
        return new OfflineResponse(status, JSON, Json.bytes(body));
    }

    private static OfflineResponse error(OpenAiError error) {
        Map<String, String> headers = new LinkedHashMap<>(JSON);
        headers.putAll(error.headers());
        return new OfflineResponse(error.status(), headers, Json.bytes(error.toJson()));
    }
}
