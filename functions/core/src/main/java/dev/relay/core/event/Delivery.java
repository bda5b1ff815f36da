package dev.relay.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;

/**
 * How an event arrives in a queue message body: as the event itself (SNS raw delivery, or sent straight
 * to SQS), or wrapped in SNS's JSON notification ({@code "Type": "Notification"}, event in {@code Message}).
 */
public final class Delivery {

    private Delivery() {}

    public static Envelope envelope(String body) {
        return Envelope.parse(eventJson(body));
    }

    /** The event document inside a message body, unwrapping an SNS notification when there is one. */
    static String eventJson(String body) {
        if (body == null || !body.contains("\"Notification\"") || !body.contains("\"TopicArn\"")) {
            return body;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if ("Notification".equals(node.path("Type").asText()) && node.path("Message").isTextual()) {
                return node.get("Message").asText();
            }
        } catch (Exception notJson) {
            // Not an SNS notification after all: the envelope parser reports what is wrong with it.
        }
        return body;
    }
}
