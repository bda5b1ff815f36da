package dev.relay.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.ingest.Ingestion.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The ingest API, one method per route of {@code IngestFunction} in template.yaml:
 * <ul>
 *   <li>{@code POST /events}: one event; {@code 202 {"event_id", "status": "accepted", "correlation_id"}};
 *   <li>{@code POST /events:batch}: a JSON array of 1 to 10 events, answered per event: {@code 202} when every event
 *       was accepted, else {@code 207} (see {@link #batchAnswer});
 *   <li>{@code POST /webhooks/events}: as {@code POST /events}, for senders that sign with the shared secret instead of
 *       SigV4 ({@link WebhookSignature}).
 * </ul>
 * Anything else is a problem detail ({@code application/problem+json}) naming the offending field.
 */
public final class IngestApi {

    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

    /** API Gateway HTTP APIs refuse more than this in the request line and headers; so does the function. */
    static final int MAX_HEADER_BYTES = 10_240;

    private final Ingestion ingestion;
    private final Optional<WebhookSignature> webhooks;

    /** @param webhooks empty when no webhook secret is configured: the webhook route then answers 503 */
    public IngestApi(Ingestion ingestion, Optional<WebhookSignature> webhooks) {
        this.ingestion = ingestion;
        this.webhooks = webhooks;
    }

    public Response handle(HttpRequest request) {
        try {
            checkHeaderSize(request);
            return switch (request.routeKey() == null ? "" : request.routeKey()) {
                case "POST /events" -> one(request);
                case "POST /events:batch" -> batch(request);
                case "POST /webhooks/events" -> webhook(request);
                default -> throw Problem.notFound("no ingest route " + request.routeKey()
                        + " (POST /events, POST /events:batch, POST /webhooks/events)");
            };
        } catch (Problem problem) {
            LOG.info("refused {} {}: {}", request.routeKey(), problem.status(), problem.detail());
            return problem.response();
        }
    }

    private Response one(HttpRequest request) {
        return switch (ingestion.accept(List.of(SubmissionReader.single(request))).getFirst()) {
            case Outcome.Accepted accepted -> Response.json(202, Json.write(accepted.receipt().toJson()));
            case Outcome.Refused refused -> refused.problem().response();
        };
    }

    private Response batch(HttpRequest request) {
        return batchAnswer(ingestion.accept(SubmissionReader.batch(request)));
    }

    /**
     * {@code 202} when every event was accepted, else {@code 207 Multi-Status}; the body is the same either way:
     * {@code {"accepted": n, "rejected": n, "failed": n, "results": [...]}} with one result per event, in order:
     * {@code {"index", "status": "accepted", "code": 202, "event_id", "correlation_id"}}, or
     * {@code {"index", "status": "rejected" | "failed", "code", "problem": {...}}}. Rejected (4xx) events need a
     * different request; failed ones (429, 5xx) may be sent again as they are.
     */
    static Response batchAnswer(List<Outcome> outcomes) {
        ObjectNode body = Json.object();
        ArrayNode results = Json.MAPPER.createArrayNode();
        int accepted = 0;
        int rejected = 0;
        int failed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            ObjectNode result = results.addObject().put("index", i);
            switch (outcomes.get(i)) {
                case Outcome.Accepted a -> {
                    accepted++;
                    result.put("status", "accepted").put("code", 202).setAll(a.receipt().toJson());
                }
                case Outcome.Refused r -> {
                    boolean retryable = r.problem().retryable();
                    failed += retryable ? 1 : 0;
                    rejected += retryable ? 0 : 1;
                    result.put("status", retryable ? "failed" : "rejected").put("code", r.problem().status())
                            .set("problem", r.problem().toJson());
                }
            }
        }
        body.put("accepted", accepted).put("rejected", rejected).put("failed", failed).set("results", results);
        return Response.json(accepted == outcomes.size() ? 202 : 207, Json.write(body));
    }

    private Response webhook(HttpRequest request) {
        WebhookSignature signature = webhooks.orElseThrow(() -> Problem.unavailable(
                "webhooks are not configured here (WEBHOOK_SECRET_NAME is not set)"));
        String claimed;
        try {
            claimed = signature.verify(request);
        } catch (SdkException e) {
            LOG.warn("webhook signatures cannot be checked for replay: {}", e.getMessage());
            throw Problem.unavailable("the replay check is unavailable; retry later");
        }
        Response response = one(request);
        if (response.status() == 429 || response.status() >= 500) {
            try {
                signature.release(claimed);
            } catch (SdkException e) {
                LOG.warn("a webhook signature could not be released after a failure: {}", e.getMessage());
            }
        }
        return response;
    }

    private static void checkHeaderSize(HttpRequest request) {
        int total = 0;
        String largest = null;
        int largestSize = -1;
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            int size = header.getKey().length() + header.getValue().length() + 4;
            total += size;
            if (size > largestSize) {
                largest = header.getKey();
                largestSize = size;
            }
        }
        if (total > MAX_HEADER_BYTES) {
            throw Problem.headersTooLarge(largest, largest + ": the headers are " + total + " bytes (" + largest
                    + " alone " + largestSize + "); at most " + MAX_HEADER_BYTES + " in all");
        }
    }
}
