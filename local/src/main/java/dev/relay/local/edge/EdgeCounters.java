package dev.relay.local.edge;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the edge serves, per service and action ({@code dynamodb}/{@code TransactWriteItems},
 * {@code sns}/{@code Publish}, ...): what one event costs in requests, which AWS bills per request. Cheap enough to be
 * always on.
 */
public final class EdgeCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Wraps an endpoint so that every request it handles is counted first. */
    public Endpoint counting(Endpoint endpoint) {
        return request -> {
            counts.computeIfAbsent(key(request), k -> new LongAdder()).increment();
            return endpoint.handle(request);
        };
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
