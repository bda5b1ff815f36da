package dev.relay.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a request (or one item of a batch) was not accepted: an RFC 9457 problem detail with the offending
 * {@code field} ({@code $} for the body as a whole, a header name such as {@code ce-type}, or an event attribute such
 * as {@code type}). Thrown while a request is read, answered as {@code application/problem+json}.
 */
public final class Problem extends RuntimeException {

    public static final String CONTENT_TYPE = "application/problem+json";

    private final int status;
    private final String title;
    private final String field;
    private final Map<String, String> headers;

    private Problem(int status, String title, String field, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.field = field;
        this.headers = Map.copyOf(headers);
    }

    static Problem badRequest(String field, String detail) {
        return new Problem(400, "Bad Request", field, detail, Map.of());
    }

    static Problem unauthorized(String detail) {
        return new Problem(401, "Unauthorized", WebhookSignature.HEADER, detail,
                Map.of("WWW-Authenticate", "Relay-HMAC-SHA256 header=\"" + WebhookSignature.HEADER + "\""));
    }

    static Problem forbidden(String field, String detail) {
        return new Problem(403, "Forbidden", field, detail, Map.of());
    }

    static Problem notFound(String detail) {
        return new Problem(404, "Not Found", null, detail, Map.of());
    }

    static Problem conflict(String field, String detail) {
        return new Problem(409, "Conflict", field, detail, Map.of());
    }

    static Problem inProgress(String field, String detail, Duration retryAfter) {
        return new Problem(409, "Conflict", field, detail, retryAfter(retryAfter));
    }

    static Problem tooLarge(String field, String detail) {
        return new Problem(413, "Content Too Large", field, detail, Map.of());
    }

    static Problem unsupportedMediaType(String detail) {
        return new Problem(415, "Unsupported Media Type", "content-type", detail,
                Map.of("Accept-Post", "application/cloudevents+json, application/json"));
    }

    static Problem headersTooLarge(String field, String detail) {
        return new Problem(431, "Request Header Fields Too Large", field, detail, Map.of());
    }

    static Problem throttled(String detail) {
        return new Problem(429, "Too Many Requests", null, detail, retryAfter(Duration.ofSeconds(1)));
    }

    static Problem unavailable(String detail) {
        return new Problem(503, "Service Unavailable", null, detail, retryAfter(Duration.ofSeconds(1)));
    }

    private static Map<String, String> retryAfter(Duration delay) {
        return Map.of("Retry-After", Long.toString(Math.max(1, (delay.toMillis() + 999) / 1000)));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The offending field, or {@code null} when the problem is not the request's (503, 429). */
    public String field() {
        return field;
    }

    public String detail() {
        return getMessage();
    }

    /** Headers the answer carries: {@code Retry-After}, {@code WWW-Authenticate}, {@code Accept-Post}. */
    public Map<String, String> headers() {
        return headers;
    }

    /** 429 and 5xx: the same request may succeed later. Every other problem needs a different request. */
    public boolean retryable() {
        return status == 429 || status >= 500;
    }

    public ObjectNode toJson() {
        ObjectNode problem = Json.object().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", getMessage());
        if (field != null) {
            problem.put("field", field);
        }
        return problem;
    }

    Response response() {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("content-type", CONTENT_TYPE);
        return new Response(status, all, Json.write(toJson()));
    }
}
