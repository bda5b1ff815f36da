package dev.relay.local.sns;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What SNS puts on a subscribed SQS queue: the message body and the SQS message attributes. */
public record SqsDelivery(String body, Map<String, MessageAttribute> messageAttributes) {

    public SqsDelivery {
        messageAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(messageAttributes));
    }
}
