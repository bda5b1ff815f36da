package dev.relay.core.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;

/** An event an agent asks to emit; the router gives it the trigger's correlation id and its causation id. */
public record FollowUp(String type, ObjectNode data) {

    public static FollowUp of(String type, Object data) {
        if (!(Json.tree(data) instanceof ObjectNode object)) {
            throw new IllegalArgumentException("follow-up " + type + " data must serialize to a JSON object");
        }
        return new FollowUp(type, object);
    }
}
