package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnsEnvelopeTest {

    static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:relay-events";
    static final String SUBSCRIPTION = TOPIC + ":8a21d249-4329-4871-acc6-7be709c6ea7f";
    static final Instant AT = Instant.parse("2026-03-01T12:34:56.789Z");

    static PublishedMessage message(String subject, Map<String, MessageAttribute> attributes) {
        return new PublishedMessage("22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", TOPIC, subject,
                "{\"type\":\"ticket.created\",\"note\":\"say \\\"hi\\\"\"}", AT, attributes);
    }

    @Test
    void notificationHasAwsFieldsInAwsOrderAndLayout() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("type", MessageAttribute.string("ticket.created"));
        attributes.put("priority", MessageAttribute.number("3"));
        String json = new SnsEnvelope().notification(message("New ticket", attributes), SUBSCRIPTION);

        String signature = json.replaceAll("(?s).*\"Signature\" : \"([^\"]*)\".*", "$1");
        assertThat(json).isEqualTo("""
                {
                  "Type" : "Notification",
                  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                  "TopicArn" : "arn:aws:sns:eu-west-1:123456789012:relay-events",
                  "Subject" : "New ticket",
                  "Message" : "{\\"type\\":\\"ticket.created\\",\\"note\\":\\"say \\\\\\"hi\\\\\\"\\"}",
                  "Timestamp" : "2026-03-01T12:34:56.789Z",
                  "SignatureVersion" : "1",
                  "Signature" : "%s",
                  "SigningCertURL" : "http://127.0.0.1:4566/SimpleNotificationService-local.pem",
                  "UnsubscribeURL" : "http://127.0.0.1:4566/?Action=Unsubscribe&SubscriptionArn=%s",
                  "MessageAttributes" : {
                    "type" : {"Type":"String","Value":"ticket.created"},
                    "priority" : {"Type":"Number","Value":"3"}
                  }
                }""".formatted(signature, SUBSCRIPTION));
        assertThat(Base64.getDecoder().decode(signature)).hasSize(32);
    }

    @Test
    void notificationRoundTripsTheMessageAndOmitsEmptyParts() throws Exception {
        String json = new SnsEnvelope("http://localhost:4566/").notification(message(null, Map.of()), SUBSCRIPTION);
        JsonNode parsed = new ObjectMapper().readTree(json);

        List<String> fields = new ArrayList<>();
        parsed.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion",
                "Signature", "SigningCertURL", "UnsubscribeURL");
        assertThat(parsed.get("Message").asText()).isEqualTo(message(null, Map.of()).message());
        assertThat(parsed.get("UnsubscribeURL").asText())
                .isEqualTo("http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=" + SUBSCRIPTION);
    }

    @Test
    void envelopedDeliveryCarriesAttributesInsideTheBodyNotAsSqsAttributes() throws Exception {
        PublishedMessage published = message(null, Map.of("type", MessageAttribute.string("ticket.created")));
        SqsDelivery delivery = new SnsEnvelope().toSqs(published, SUBSCRIPTION, false);

        assertThat(delivery.messageAttributes()).isEmpty();
        JsonNode body = new ObjectMapper().readTree(delivery.body());
        assertThat(body.at("/MessageAttributes/type/Type").asText()).isEqualTo("String");
        assertThat(body.at("/MessageAttributes/type/Value").asText()).isEqualTo("ticket.created");
    }

    @Test
    void rawDeliveryPutsTheMessageAsBodyAndAttributesAsSqsAttributes() {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("type", MessageAttribute.string("ticket.created"));
        attributes.put("priority", MessageAttribute.number("3"));
        attributes.put("tags", MessageAttribute.stringArray("[\"vip\",\"eu\"]"));
        PublishedMessage published = message("ignored in raw delivery", attributes);

        SqsDelivery delivery = new SnsEnvelope().toSqs(published, SUBSCRIPTION, true);

        assertThat(delivery.body()).isEqualTo(published.message());
        assertThat(delivery.messageAttributes()).containsExactlyEntriesOf(attributes);
    }

    @Test
    void sameMessageGetsTheSameSignature() {
        PublishedMessage published = message(null, Map.of());
        SnsEnvelope envelope = new SnsEnvelope();

        assertThat(envelope.notification(published, SUBSCRIPTION)).isEqualTo(envelope.notification(published, SUBSCRIPTION));
    }
}
