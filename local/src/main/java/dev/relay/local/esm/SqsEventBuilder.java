package dev.relay.local.esm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Turns received SQS messages into the event Lambda sends for them:
 * {@code {"Records":[{"messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody",
 * "md5OfMessageAttributes", "eventSource":"aws:sqs", "eventSourceARN", "awsRegion"}]}}.
 * Field names, their order and the value shapes follow Lambda's documented sample events, so
 * {@code aws-lambda-java-events}' {@code SQSEvent} (and every other runtime's SQS event type) reads them.
 */
public final class SqsEventBuilder {

    /** The system attributes in the order Lambda's sample events list them; any others SQS returns follow. */
    private static final List<String> ATTRIBUTE_ORDER = List.of("ApproximateReceiveCount", "SentTimestamp",
            "SequenceNumber", "MessageGroupId", "SenderId", "MessageDeduplicationId",
            "ApproximateFirstReceiveTimestamp", "AWSTraceHeader");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueArn queue;

    public SqsEventBuilder(QueueArn queue) {
        this.queue = queue;
    }

    /** The whole event for one batch, as the UTF-8 JSON the function receives. */
    public byte[] event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(message -> records.add(record(message)));
        return bytes(event);
    }

    /** How many bytes {@code message}'s record adds to an event, to keep a batch under Lambda's payload limit. */
    public int recordSize(Message message) {
        return bytes(record(message)).length + 1;
    }

    ObjectNode record(Message message) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        ObjectNode attributes = record.putObject("attributes");
        orderedAttributes(message.attributesAsStrings()).forEach(attributes::put);
        ObjectNode messageAttributes = record.putObject("messageAttributes");
        new TreeMap<>(message.messageAttributes()).forEach(
                (name, value) -> messageAttributes.set(name, messageAttribute(value)));
        record.put("md5OfBody", message.md5OfBody());
        if (!message.messageAttributes().isEmpty()) {
            record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        }
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queue.toString());
        record.put("awsRegion", queue.region());
        return record;
    }

    /** Lambda's shape: the single value present, both list fields always present (and empty in practice). */
    private static ObjectNode messageAttribute(MessageAttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        if (value.stringValue() != null) {
            node.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            node.put("binaryValue", base64(value.binaryValue()));
        }
        ArrayNode strings = node.putArray("stringListValues");
        value.stringListValues().forEach(strings::add);
        ArrayNode binaries = node.putArray("binaryListValues");
        value.binaryListValues().forEach(bytes -> binaries.add(base64(bytes)));
        node.put("dataType", value.dataType());
        return node;
    }

    private static Map<String, String> orderedAttributes(Map<String, String> attributes) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : ATTRIBUTE_ORDER) {
            if (attributes.containsKey(name)) {
                ordered.put(name, attributes.get(name));
            }
        }
        List<String> others = new ArrayList<>(attributes.keySet());
        others.removeAll(ATTRIBUTE_ORDER);
        others.stream().sorted().forEach(name -> ordered.put(name, attributes.get(name)));
        return ordered;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
