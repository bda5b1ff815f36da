package dev.relay.local.sns;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message to publish: Publish's parameters, or one PublishBatch entry's, without the target.
 *
 * @param message                the message, or with {@code messageStructure = "json"} a JSON object of messages by
 *                               protocol with a {@code default}
 * @param subject                null when not set
 * @param messageStructure       null or {@code json}
 * @param attributes             message attributes in the publisher's order
 * @param messageGroupId         FIFO topics: required; null when not set
 * @param messageDeduplicationId FIFO topics without content-based deduplication: required; null when not set
 */
public record Publication(String message, String subject, String messageStructure,
                          Map<String, MessageAttribute> attributes, String messageGroupId,
                          String messageDeduplicationId) {

    public Publication {
        Objects.requireNonNull(message, "message");
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static Publication of(String message) {
        return new Publication(message, null, null, Map.of(), null, null);
    }

    public static Publication of(String message, Map<String, MessageAttribute> attributes) {
        return new Publication(message, null, null, attributes, null, null);
    }

    public Publication withSubject(String subject) {
        return new Publication(message, subject, messageStructure, attributes, messageGroupId, messageDeduplicationId);
    }

    public Publication withFifo(String messageGroupId, String messageDeduplicationId) {
        return new Publication(message, subject, messageStructure, attributes, messageGroupId, messageDeduplicationId);
    }
}
