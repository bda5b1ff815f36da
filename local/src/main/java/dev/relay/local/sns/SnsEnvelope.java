package dev.relay.local.sns;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

/**
 * The JSON notification SNS delivers to an SQS subscription without raw message delivery, byte for byte in AWS's
 * layout (field order, {@code " : "} separators, one-line attribute objects), and raw delivery's SQS attributes.
 * URLs point at the local edge; the signature is a stand-in (valid base64) since there is no SNS signing key.
 */
public record SnsEnvelope(String edgeBaseUrl) {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String LOCAL_EDGE = "http://127.0.0.1:4566";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public SnsEnvelope {
        edgeBaseUrl = edgeBaseUrl.endsWith("/") ? edgeBaseUrl.substring(0, edgeBaseUrl.length() - 1) : edgeBaseUrl;
    }

    public SnsEnvelope() {
        this(LOCAL_EDGE);
    }

    /** What lands on the queue: the envelope, or with raw delivery the message itself plus its attributes. */
    public SqsDelivery toSqs(PublishedMessage message, String subscriptionArn, boolean rawMessageDelivery) {
        return rawMessageDelivery
                ? new SqsDelivery(message.message(), message.attributes())
                : new SqsDelivery(notification(message, subscriptionArn), Map.of());
    }

    /**
     * The event SNS invokes a subscribed Lambda function with: one record, {@code EventSource "aws:sns"}, the
     * notification's fields under {@code Sns} (note Lambda's spelling {@code SigningCertUrl} / {@code UnsubscribeUrl},
     * {@code Subject} null when not set), in the field order of AWS's documented example.
     */
    public String lambdaEvent(PublishedMessage message, String subscriptionArn) {
        String timestamp = TIMESTAMP.format(message.timestamp());
        ObjectNode sns = JSON.createObjectNode();
        sns.put("SignatureVersion", "1");
        sns.put("Timestamp", timestamp);
        sns.put("Signature", signature(message, timestamp));
        sns.put("SigningCertUrl", signingCertUrl());
        sns.put("MessageId", message.messageId());
        sns.put("Message", message.message());
        ObjectNode attributes = sns.putObject("MessageAttributes");
        message.attributes().forEach((name, attribute) -> attributes.putObject(name)
                .put("Type", attribute.dataType()).put("Value", attribute.stringValue()));
        sns.put("Type", "Notification");
        sns.put("UnsubscribeUrl", unsubscribeUrl(subscriptionArn));
        sns.put("TopicArn", message.topicArn());
        sns.put("Subject", message.subject());
        ObjectNode record = JSON.createObjectNode();
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscriptionArn);
        record.put("EventSource", "aws:sns");
        record.set("Sns", sns);
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return event.toString();
    }

    private String signingCertUrl() {
        return edgeBaseUrl + "/SimpleNotificationService-local.pem";
    }

    private String unsubscribeUrl(String subscriptionArn) {
        return edgeBaseUrl + "/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn;
    }

    /** The {@code Type: Notification} JSON document. */
    public String notification(PublishedMessage message, String subscriptionArn) {
        String timestamp = TIMESTAMP.format(message.timestamp());
        StringBuilder json = new StringBuilder("{\n");
        field(json, "Type", "Notification");
        field(json, "MessageId", message.messageId());
        field(json, "TopicArn", message.topicArn());
        message.subjectIfSet().ifPresent(subject -> field(json, "Subject", subject));
        field(json, "Message", message.message());
        field(json, "Timestamp", timestamp);
        field(json, "SignatureVersion", "1");
        field(json, "Signature", signature(message, timestamp));
        field(json, "SigningCertURL", signingCertUrl());
        field(json, "UnsubscribeURL", unsubscribeUrl(subscriptionArn));
        if (!message.attributes().isEmpty()) {
            json.append("  \"MessageAttributes\" : {\n");
            String separator = "";
            for (Map.Entry<String, MessageAttribute> attribute : message.attributes().entrySet()) {
                json.append(separator).append("    ").append(quote(attribute.getKey())).append(" : {\"Type\":")
                        .append(quote(attribute.getValue().dataType())).append(",\"Value\":")
                        .append(quote(attribute.getValue().stringValue())).append('}');
                separator = ",\n";
            }
            json.append("\n  }\n");
        } else {
            json.setLength(json.length() - 2);
            json.append('\n');
        }
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append("  ").append(quote(name)).append(" : ").append(quote(value)).append(",\n");
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /**
     * A stand-in for SNS's RSA signature over the documented string to sign (Message, MessageId, Subject, Timestamp,
     * TopicArn, Type): deterministic and valid base64, but not verifiable against a certificate.
     */
    private static String signature(PublishedMessage message, String timestamp) {
        StringBuilder toSign = new StringBuilder();
        toSign.append("Message\n").append(message.message()).append('\n');
        toSign.append("MessageId\n").append(message.messageId()).append('\n');
        message.subjectIfSet().ifPresent(subject -> toSign.append("Subject\n").append(subject).append('\n'));
        toSign.append("Timestamp\n").append(timestamp).append('\n');
        toSign.append("TopicArn\n").append(message.topicArn()).append('\n');
        toSign.append("Type\nNotification\n");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(toSign.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
