package dev.relay.core.aws;

import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * Publishes events to the Relay topic, ten per PublishBatch call, with the message attributes
 * subscriptions filter on: {@code type}, {@code id}, {@code correlationid}.
 */
public final class SnsEventPublisher implements EventPublisher {

    /** SNS PublishBatch's limit. */
    public static final int BATCH_LIMIT = 10;

    private final SnsClient sns;
    private final String topicArn;

    public SnsEventPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public void publish(List<Envelope> events) {
        for (int from = 0; from < events.size(); from += BATCH_LIMIT) {
            List<Envelope> batch = events.subList(from, Math.min(events.size(), from + BATCH_LIMIT));
            List<PublishBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Envelope event = batch.get(i);
                entries.add(PublishBatchRequestEntry.builder()
                        .id("e" + i)
                        .message(event.toJson())
                        .messageAttributes(attributes(event))
                        .build());
            }
            PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries));
            if (!response.failed().isEmpty()) {
                var failure = response.failed().get(0);
                throw new IllegalStateException(response.failed().size() + " of " + batch.size()
                        + " events were not published to " + topicArn + ": " + failure.code() + " " + failure.message());
            }
        }
    }

    public static Map<String, MessageAttributeValue> attributes(Envelope event) {
        return Map.of(
                "type", string(event.type()),
                "id", string(event.id()),
                "correlationid", string(event.correlationId()));
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
