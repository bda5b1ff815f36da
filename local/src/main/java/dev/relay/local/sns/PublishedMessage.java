package dev.relay.local.sns;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A message as published to a topic; {@code subject} is null when not set, attributes keep the publisher's order. */
public record PublishedMessage(String messageId, String topicArn, String subject, String message,
        Instant timestamp, Map<String, MessageAttribute> attributes) {

    public PublishedMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(topicArn, "topicArn");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timestamp, "timestamp");
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public Optional<String> subjectIfSet() {
        return Optional.ofNullable(subject);
    }
}
