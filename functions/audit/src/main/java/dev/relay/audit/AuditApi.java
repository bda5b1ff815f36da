package dev.relay.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.audit.AuditJson;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The audit trail's read API, one method per route of {@code AuditFunction} in template.yaml. Answers JSON, or a
 * problem detail ({@code application/problem+json}) naming the offending parameter.
 */
public final class AuditApi {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** An HTTP answer: status, content type and body. */
    public record Response(int status, String contentType, String body) {

        static Response json(JsonNode body) {
            return new Response(200, "application/json", Json.write(body));
        }

        static Response problem(int status, String title, String detail, String parameter) {
            ObjectNode problem = Json.object().put("type", "about:blank").put("title", title).put("status", status)
                    .put("detail", detail);
            if (parameter != null) {
                problem.put("parameter", parameter);
            }
            return new Response(status, "application/problem+json", Json.write(problem));
        }
    }

    private final AuditTrail trail;
    private final Clock clock;

    public AuditApi(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /**
     * @param routeKey the route as API Gateway names it, e.g. {@code GET /audit/events/{eventId}/chain}
     */
    public Response handle(String routeKey, Map<String, String> path, Map<String, String> query) {
        Map<String, String> p = path == null ? Map.of() : path;
        Map<String, String> q = query == null ? Map.of() : query;
        try {
            return switch (routeKey == null ? "" : routeKey) {
                case "GET /audit/agents/{agentId}/history" -> Response.json(AuditJson.records(trail.history(
                        p.get("agentId"), instant(q, "from", Instant.EPOCH), instant(q, "to", clock.instant()), limit(q))));
                case "GET /audit/events/{eventId}/chain" -> found(trail.causalChain(p.get("eventId")), "event", p.get("eventId"));
                case "GET /audit/streams/{correlationId}" -> found(trail.stream(p.get("correlationId")), "stream",
                        p.get("correlationId"));
                case "GET /audit/streams/{correlationId}/replay" -> Response.json(AuditJson.replay(
                        trail.replayTo(p.get("correlationId"), required(q, "to"))));
                case "GET /audit/replay" -> Response.json(AuditJson.replay(trail.replayTo(null, required(q, "to"))));
                case "GET /audit/streams/{correlationId}/verify" -> Response.json(AuditJson.verification(
                        trail.verify(p.get("correlationId"))));
                case "GET /audit/verify" -> Response.json(AuditJson.verifications(trail.verifyAll()));
                default -> Response.problem(404, "Not Found", "no audit route " + routeKey, null);
            };
        } catch (BadParameter e) {
            return Response.problem(400, "Bad Request", e.getMessage(), e.parameter);
        }
    }

    private static Response found(List<AuditRecord> records, String what, String id) {
        return records.isEmpty()
                ? Response.problem(404, "Not Found", "the audit trail has no " + what + " " + id, null)
                : Response.json(AuditJson.records(records));
    }

    private static Instant required(Map<String, String> query, String name) {
        if (!query.containsKey(name)) {
            throw new BadParameter(name, name + " is required: an ISO-8601 instant such as 2026-11-21T09:58:00Z");
        }
        return instant(query, name, null);
    }

    private static Instant instant(Map<String, String> query, String name, Instant fallback) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Timestamps.parse(name, value);
        } catch (IllegalArgumentException e) {
            throw new BadParameter(name, e.getMessage());
        }
    }

    private static int limit(Map<String, String> query) {
        String value = query.get("limit");
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadParameter("limit", "limit: '" + value + "' is not an integer from 1 to " + MAX_LIMIT);
    }

    private static final class BadParameter extends RuntimeException {
        private final String parameter;

        BadParameter(String parameter, String message) {
            super(message, null, false, false);
            this.parameter = parameter;
        }
    }
}
