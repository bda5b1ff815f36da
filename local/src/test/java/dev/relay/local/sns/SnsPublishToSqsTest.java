package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.model.Message;

/** Publish and PublishBatch through the SDK, delivered to ElasticMQ queues, raw and enveloped. */
class SnsPublishToSqsTest {

    static LocalSns local;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        local = new LocalSns();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    record Wiring(String topicArn, String queueArn, String subscriptionArn) {
    }

    static Wiring topicWithQueue(boolean raw) {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("events"))).topicArn();
        String queueArn = local.queue(local.unique("consumer"));
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", Boolean.toString(raw)))).subscriptionArn();
        return new Wiring(topicArn, queueArn, subscriptionArn);
    }

    static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    @Test
    void rawDeliveryPutsTheMessageVerbatimWithSqsMessageAttributes() {
        Wiring w = topicWithQueue(true);
        String body = "{\"type\":\"customer.signup\", \"note\":\"ünïcødé & <xml>\\r\\n\"}";

        local.sns.publish(r -> r.topicArn(w.topicArn()).message(body).subject("ignored when raw").messageAttributes(Map.of(
                "type", string("customer.signup"),
                "priority", MessageAttributeValue.builder().dataType("Number").stringValue("3").build(),
                "tags", MessageAttributeValue.builder().dataType("String.Array").stringValue("[\"vip\",\"eu\"]").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff})).build())));

        List<Message> messages = local.receive(w.queueArn());
        assertThat(messages).hasSize(1);
        Message message = messages.getFirst();
        assertThat(message.body()).isEqualTo(body);
        assertThat(message.messageAttributes()).containsOnlyKeys("type", "priority", "tags", "blob");
        assertThat(message.messageAttributes().get("type").stringValue()).isEqualTo("customer.signup");
        assertThat(message.messageAttributes().get("priority").dataType()).isEqualTo("Number");
        assertThat(message.messageAttributes().get("priority").stringValue()).isEqualTo("3");
        assertThat(message.messageAttributes().get("tags").dataType()).isEqualTo("String.Array");
        assertThat(message.messageAttributes().get("tags").stringValue()).isEqualTo("[\"vip\",\"eu\"]");
        assertThat(message.messageAttributes().get("blob").binaryValue().asByteArray())
                .containsExactly(0, 1, (byte) 0xff);
    }

    @Test
    void envelopedDeliveryIsTheSnsNotificationWithAttributesInside() throws Exception {
        Wiring w = topicWithQueue(false);
        Instant before = Instant.now().minusMillis(1);

        PublishResponse published = local.sns.publish(r -> r.topicArn(w.topicArn()).message("hello \"world\"")
                .subject("Greeting").messageAttributes(Map.of("type", string("greeting"))));

        List<Message> messages = local.receive(w.queueArn());
        assertThat(messages).hasSize(1);
        assertThat(messages.getFirst().messageAttributes()).isEmpty();
        JsonNode envelope = JSON.readTree(messages.getFirst().body());
        List<String> fields = new ArrayList<>();
        envelope.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
                "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes");
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("MessageId").asText()).isEqualTo(published.messageId());
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(w.topicArn());
        assertThat(envelope.get("Subject").asText()).isEqualTo("Greeting");
        assertThat(envelope.get("Message").asText()).isEqualTo("hello \"world\"");
        assertThat(Instant.parse(envelope.get("Timestamp").asText())).isBetween(before, Instant.now());
        assertThat(envelope.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(envelope.get("SignatureVersion").asText()).isEqualTo("1");
        assertThat(envelope.get("Signature").asText()).isBase64();
        assertThat(envelope.get("SigningCertURL").asText()).endsWith(".pem");
        assertThat(envelope.get("UnsubscribeURL").asText())
                .endsWith("/?Action=Unsubscribe&SubscriptionArn=" + w.subscriptionArn());
        assertThat(envelope.get("MessageAttributes").toString())
                .isEqualTo("{\"type\":{\"Type\":\"String\",\"Value\":\"greeting\"}}");
    }

    @Test
    void envelopeOmitsSubjectAndAttributesWhenNotSet() throws Exception {
        Wiring w = topicWithQueue(false);
        local.sns.publish(r -> r.topicArn(w.topicArn()).message("plain"));

        JsonNode envelope = JSON.readTree(local.receive(w.queueArn()).getFirst().body());
        assertThat(envelope.has("Subject")).isFalse();
        assertThat(envelope.has("MessageAttributes")).isFalse();
    }

    @Test
    void everySubscribedQueueGetsItsOwnCopy() {
        Wiring w = topicWithQueue(true);
        String second = local.queue(local.unique("second"));
        local.sns.subscribe(r -> r.topicArn(w.topicArn()).protocol("sqs").endpoint(second));

        local.sns.publish(r -> r.topicArn(w.topicArn()).message("fan-out"));

        assertThat(local.receive(w.queueArn())).extracting(Message::body).containsExactly("fan-out");
        assertThat(local.receive(second).getFirst().body()).contains("\"Message\" : \"fan-out\"");
    }

    @Test
    void messagesArriveInPublishOrder() {
        Wiring w = topicWithQueue(true);
        IntStream.range(0, 10).forEach(i -> local.sns.publish(r -> r.topicArn(w.topicArn()).message("m" + i)));

        List<String> bodies = new ArrayList<>();
        for (int attempt = 0; attempt < 5 && bodies.size() < 10; attempt++) {
            local.receive(w.queueArn()).forEach(m -> bodies.add(m.body()));
        }
        assertThat(bodies).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    }

    @Test
    void targetArnPublishesToTheTopicToo() {
        Wiring w = topicWithQueue(true);
        local.sns.publish(r -> r.targetArn(w.topicArn()).message("via TargetArn"));

        assertThat(local.receive(w.queueArn())).extracting(Message::body).containsExactly("via TargetArn");
    }

    @Test
    void messageStructureJsonDeliversTheSqsEntryOrTheDefault() {
        Wiring w = topicWithQueue(true);
        local.sns.publish(r -> r.topicArn(w.topicArn()).messageStructure("json")
                .message("{\"default\":\"for everyone\",\"sqs\":\"for queues\"}"));
        local.sns.publish(r -> r.topicArn(w.topicArn()).messageStructure("json").message("{\"default\":\"only default\"}"));

        assertThat(local.receive(w.queueArn())).extracting(Message::body).containsExactly("for queues", "only default");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn()).messageStructure("json")
                .message("{\"sqs\":\"no default\"}")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("No default entry");
    }

    @Test
    void aMissingQueueIsLoggedAndDoesNotFailThePublish() {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("orphan"))).topicArn();
        String gone = "arn:aws:sqs:us-east-1:000000000000:" + local.unique("never-created");
        Wiring alive = new Wiring(topicArn, local.queue(local.unique("alive")), null);
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(gone));
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(alive.queueArn())
                .attributes(Map.of("RawMessageDelivery", "true")));

        PublishResponse published = local.sns.publish(r -> r.topicArn(topicArn).message("still delivered"));

        assertThat(published.messageId()).isNotBlank();
        assertThat(local.receive(alive.queueArn())).extracting(Message::body).containsExactly("still delivered");
    }

    @Test
    void publishBatchPublishesTheGoodEntriesAndReportsEachBadOne() {
        Wiring w = topicWithQueue(true);
        PublishBatchResponse response = local.sns.publishBatch(r -> r.topicArn(w.topicArn()).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("first").message("one")
                        .messageAttributes(Map.of("type", string("a"))).build(),
                PublishBatchRequestEntry.builder().id("empty").message("").build(),
                PublishBatchRequestEntry.builder().id("bad-number").message("two").messageAttributes(Map.of(
                        "n", MessageAttributeValue.builder().dataType("Number").stringValue("twelve").build())).build(),
                PublishBatchRequestEntry.builder().id("bad-subject").message("three").subject("line\nbreak").build(),
                PublishBatchRequestEntry.builder().id("last").message("four").build()));

        assertThat(response.successful()).extracting("id").containsExactly("first", "last");
        assertThat(response.successful()).allSatisfy(s -> assertThat(s.messageId()).isNotBlank());
        assertThat(response.failed()).extracting("id", "code", "senderFault").containsExactly(
                tuple("empty", "InvalidParameter", true),
                tuple("bad-number", "ParameterValueInvalid", true),
                tuple("bad-subject", "InvalidParameter", true));
        assertThat(response.failed().get(1).message()).contains("'n'").contains("twelve");
        assertThat(local.receive(w.queueArn())).extracting(Message::body).containsExactly("one", "four");
    }

    @Test
    void publishBatchRefusesTooManyOrRepeatedIds() {
        Wiring w = topicWithQueue(true);
        List<PublishBatchRequestEntry> eleven = IntStream.range(0, 11)
                .mapToObj(i -> PublishBatchRequestEntry.builder().id("e" + i).message("m").build()).toList();
        assertThatThrownBy(() -> local.sns.publishBatch(r -> r.topicArn(w.topicArn()).publishBatchRequestEntries(eleven)))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
        assertThatThrownBy(() -> local.sns.publishBatch(r -> r.topicArn(w.topicArn()).publishBatchRequestEntries(
                PublishBatchRequestEntry.builder().id("same").message("a").build(),
                PublishBatchRequestEntry.builder().id("same").message("b").build())))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class)
                .hasMessageContaining("same");
        assertThat(local.receive(w.queueArn())).isEmpty();
    }

    @Test
    void publishRefusesWhatSnsRefuses() {
        Wiring w = topicWithQueue(true);
        String big = "x".repeat(256 * 1024 - 10);

        assertThatThrownBy(() -> local.sns.publish(r -> r.message("no topic")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("TopicArn or TargetArn");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn() + "-missing").message("m")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Topic does not exist");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn()).message(big)
                .messageAttributes(Map.of("type", string("pushes it over")))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Message too long");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn()).message("m")
                .messageAttributes(Map.of("AWS.reserved", string("v")))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("AWS.reserved");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn()).message("m")
                .messageAttributes(Map.of("list", MessageAttributeValue.builder().dataType("String.Array")
                        .stringValue("not an array").build()))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("'list'");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn()).message("m")
                .messageAttributes(Map.of("t", MessageAttributeValue.builder().dataType("Date").stringValue("x").build()))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Date");
        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(w.topicArn()).message("m").subject("x".repeat(100))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Subject");

        local.sns.publish(r -> r.topicArn(w.topicArn()).message(big));
        assertThat(local.receive(w.queueArn())).extracting(m -> m.body().length()).containsExactly(big.length());
    }

    @Test
    void fifoTopicsNeedAGroupAndDeduplicateWithinTheWindow() {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("orders") + ".fifo")
                .attributes(Map.of("FifoTopic", "true", "ContentBasedDeduplication", "true"))).topicArn();
        String queueArn = local.fifoQueue(local.unique("orders") + ".fifo");
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));

        assertThatThrownBy(() -> local.sns.publish(r -> r.topicArn(topicArn).message("no group")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("MessageGroupId");
        PublishResponse first = local.sns.publish(r -> r.topicArn(topicArn).message("order 1").messageGroupId("o1"));
        PublishResponse again = local.sns.publish(r -> r.topicArn(topicArn).message("order 1").messageGroupId("o1"));
        PublishResponse second = local.sns.publish(r -> r.topicArn(topicArn).message("order 2").messageGroupId("o1"));

        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(new BigInteger(second.sequenceNumber())).isGreaterThan(new BigInteger(first.sequenceNumber()));
        assertThat(local.receive(queueArn)).extracting(Message::body).containsExactly("order 1", "order 2");
    }
}
