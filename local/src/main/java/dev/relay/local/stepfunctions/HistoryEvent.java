package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One GetExecutionHistory event: {@code type} as Step Functions names it (ExecutionStarted, TaskStateEntered,
 * TaskScheduled, MapIterationStarted, …) and its details under {@code detailsField} (e.g.
 * {@code stateEnteredEventDetails}), or {@code null} for types without details.
 */
public record HistoryEvent(
        long id, long previousEventId, Instant timestamp, String type, String detailsField, ObjectNode details) {

    /** The event as GetExecutionHistory returns it (AWS JSON protocol: the timestamp in epoch seconds). */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("timestamp", Json.epochSeconds(timestamp));
        json.put("type", type);
        json.put("id", id);
        json.put("previousEventId", previousEventId);
        if (detailsField != null) {
            json.set(detailsField, details.deepCopy());
        }
        return json;
    }
}
