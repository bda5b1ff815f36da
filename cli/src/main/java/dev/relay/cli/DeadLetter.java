package dev.relay.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.audit.Timestamps;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import dev.relay.core.worker.SqsRedelivery;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** A dead-lettered message as an operator reads it. */
record DeadLetter(Message message) {

    static DeadLetter of(Message message) {
        return new DeadLetter(message);
    }

    Optional<Instant> sentAt() {
        return system(MessageSystemAttributeName.SENT_TIMESTAMP).map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)));
    }

    String receiveCount() {
        return system(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT).orElse("?");
    }

    Optional<String> attribute(String name) {
        return Optional.ofNullable(message.messageAttributes().get(name)).map(MessageAttributeValue::stringValue);
    }

    /** {@code deploy.completed id 7b3d… correlation 7b3d…}, from the attributes or else the body. */
    String event() {
        Optional<String> type = attribute("type");
        if (type.isPresent()) {
            return type.get() + " id " + attribute("id").orElse("?") + " correlation "
                    + attribute("correlationid").orElse("?");
        }
        try {
            Envelope event = Envelope.parse(message.body());
            return event.type() + " id " + event.id() + " correlation " + event.correlationId();
        } catch (InvalidEventException e) {
            return "(the body is not a valid event: " + e.getMessage() + ")";
        }
    }

    /** Why it is here: the worker's record of the failure, or what the redrive policy leaves (nothing). */
    String lastError() {
        Optional<String> reason = attribute(SqsRedelivery.ERROR_REASON);
        if (reason.isPresent()) {
            return attribute(SqsRedelivery.ERROR_TYPE).orElse("error") + ": " + reason.get()
                    + " (dead-lettered at once by the function on " + attribute(SqsRedelivery.SOURCE_QUEUE)
                    .map(arn -> arn.substring(arn.lastIndexOf(':') + 1)).orElse("its queue") + ", receive "
                    + attribute(SqsRedelivery.RECEIVE_COUNT).orElse("?") + ")";
        }
        return "not recorded: the queue's redrive policy moved it here after its receives failed"
                + system(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN)
                .map(arn -> " on " + arn.substring(arn.lastIndexOf(':') + 1)).orElse("")
                + " (the function's logs say why)";
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object().put("message_id", message.messageId())
                .put("sent_at", sentAt().map(Timestamps::format).orElse(null))
                .put("receive_count", receiveCount())
                .put("event", event())
                .put("error_type", attribute(SqsRedelivery.ERROR_TYPE).orElse(null))
                .put("error_reason", attribute(SqsRedelivery.ERROR_REASON).orElse(null))
                .put("source_queue", attribute(SqsRedelivery.SOURCE_QUEUE).orElse(null))
                .put("dead_lettered_on_receive", attribute(SqsRedelivery.RECEIVE_COUNT).orElse(null))
                .put("last_error", lastError())
                .put("body", message.body());
        ObjectNode attributes = node.putObject("attributes");
        message.messageAttributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
        return node;
    }

    private Optional<String> system(MessageSystemAttributeName name) {
        return Optional.ofNullable(message.attributes().get(name));
    }
}
