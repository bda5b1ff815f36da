package dev.relay.local.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the edge serves, per service and action ({@code dynamodb}/{@code TransactWriteItems},
 * {@code sns}/{@code Publish}, ...): what one event costs in requests, which AWS bills per request. Cheap enough to be
 * always on. DynamoDB's batch and transaction actions also count their items ({@link #dynamoDbItems()}), which is
 * what DynamoDB bills them by.
 */
public final class EdgeCounters {

    /** DynamoDB actions that carry several items: they bill capacity units per item, not per request. */
    private static final Set<String> MULTI_ITEM_ACTIONS = Set.of("TransactWriteItems", "TransactGetItems",
            "BatchWriteItem", "BatchGetItem");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> items = new ConcurrentHashMap<>();

    /** Wraps an endpoint so that every request it handles is counted first. */
    public Endpoint counting(Endpoint endpoint) {
        return request -> {
            String key = key(request);
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
            if (key.startsWith("dynamodb/") && MULTI_ITEM_ACTIONS.contains(key.substring("dynamodb/".length()))) {
                items.computeIfAbsent(key, k -> new LongAdder()).add(itemCount(request.body()));
            }
            return endpoint.handle(request);
        };
    }

    /** Items in DynamoDB's batch and transaction requests so far, as {@code dynamodb/action -> items}, sorted. */
    public Map<String, Long> dynamoDbItems() {
        Map<String, Long> copy = new TreeMap<>();
        items.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }

    /**
     * {@code TransactItems} entries, or the write requests / keys of every table in {@code RequestItems}; 0 for a
     * body that is not such JSON (DynamoDB will refuse it).
     */
    static long itemCount(byte[] body) {
        try {
            JsonNode request = JSON.readTree(body);
            if (request == null) {
                return 0;
            }
            if (request.path("TransactItems").isArray()) {
                return request.path("TransactItems").size();
            }
            long count = 0;
            for (JsonNode table : request.path("RequestItems")) {
                count += table.isArray() ? table.size() : table.path("Keys").size();
            }
            return count;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The counts so far, as {@code service/action -> requests}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }

    /** What happened between two snapshots: the counts that grew, by how much. */
    public static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((key, count) -> {
            long grown = count - before.getOrDefault(key, 0L);
            if (grown > 0) {
                delta.put(key, grown);
            }
        });
        return delta;
    }

    static String key(EdgeRequest request) {
        String service = EdgeRouter.classify(request).map(AwsService::signingName).orElse("unknown");
        String target = request.header("x-amz-target").orElse("");
        String action;
        if (!target.isEmpty()) {
            action = target.substring(target.lastIndexOf('.') + 1);
        } else if (request.path().startsWith("/2015-03-31/functions")) {
            action = request.path().endsWith("/invocations") ? "Invoke" : request.method() + " functions";
        } else if (request.path().startsWith("/v1/")) {
            action = request.method() + " " + request.path();
        } else {
            action = EdgeRouter.action(request).orElse(request.method() + " " + request.path());
        }
        return service + "/" + action;
    }
}
