package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Lambda subscriptions: the SNS event shape, publish order, filters, and what Subscribe refuses. */
class SnsLambdaDeliveryTest {

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

    @BeforeEach
    void forgetInvocations() {
        local.invocations.clear();
    }

    static String function(String name) {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + name;
    }

    @Test
    void theFunctionReceivesTheSnsEvent() throws Exception {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("audit"))).topicArn();
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda")
                .endpoint(function("audit") + ":live")).subscriptionArn();

        String messageId = local.sns.publish(r -> r.topicArn(topicArn).message("{\"type\":\"order.placed\"}")
                .subject("Order").messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String")
                        .stringValue("order.placed").build()))).messageId();

        List<LocalSns.Invocation> invocations = local.awaitInvocations(1);
        assertThat(invocations).extracting(LocalSns.Invocation::functionName).containsExactly("audit");
        JsonNode event = JSON.readTree(invocations.getFirst().payload());
        assertThat(event.get("Records")).hasSize(1);
        JsonNode record = event.get("Records").get(0);
        assertThat(record.get("EventSource").asText()).isEqualTo("aws:sns");
        assertThat(record.get("EventVersion").asText()).isEqualTo("1.0");
        assertThat(record.get("EventSubscriptionArn").asText()).isEqualTo(subscriptionArn);
        JsonNode sns = record.get("Sns");
        List<String> fields = new ArrayList<>();
        sns.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("Type", "MessageId", "TopicArn", "Subject", "Message",
                "Timestamp", "SignatureVersion", "Signature", "SigningCertUrl", "UnsubscribeUrl", "MessageAttributes");
        assertThat(sns.get("Type").asText()).isEqualTo("Notification");
        assertThat(sns.get("MessageId").asText()).isEqualTo(messageId);
        assertThat(sns.get("TopicArn").asText()).isEqualTo(topicArn);
        assertThat(sns.get("Subject").asText()).isEqualTo("Order");
        assertThat(sns.get("Message").asText()).isEqualTo("{\"type\":\"order.placed\"}");
        assertThat(sns.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(sns.get("SignatureVersion").asText()).isEqualTo("1");
        assertThat(sns.get("Signature").asText()).isBase64();
        assertThat(sns.get("UnsubscribeUrl").asText()).endsWith("SubscriptionArn=" + subscriptionArn);
        assertThat(sns.get("MessageAttributes").toString())
                .isEqualTo("{\"type\":{\"Type\":\"String\",\"Value\":\"order.placed\"}}");
    }

    @Test
    void withoutSubjectTheEventCarriesNullAndNoAttributesAnEmptyObject() throws Exception {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("plain"))).topicArn();
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint(function("audit")));

        local.sns.publish(r -> r.topicArn(topicArn).message("no subject"));

        JsonNode sns = JSON.readTree(local.awaitInvocations(1).getFirst().payload()).at("/Records/0/Sns");
        assertThat(sns.get("Subject").isNull()).isTrue();
        assertThat(sns.get("MessageAttributes").isEmpty()).isTrue();
    }

    @Test
    void aSlowFunctionStillSeesMessagesInPublishOrder() throws Exception {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("ordered"))).topicArn();
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint(function("slow")));

        IntStream.range(0, 8).forEach(i -> local.sns.publish(r -> r.topicArn(topicArn).message("m" + i)));

        List<String> messages = new ArrayList<>();
        for (LocalSns.Invocation invocation : local.awaitInvocations(8)) {
            messages.add(JSON.readTree(invocation.payload()).at("/Records/0/Sns/Message").asText());
        }
        assertThat(messages).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
    }

    @Test
    void theFilterPolicyDecidesWhichFunctionIsInvoked() throws Exception {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("routed"))).topicArn();
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint(function("orders"))
                .attributes(Map.of("FilterPolicy", "{\"type\":[{\"prefix\":\"order.\"}]}",
                        "FilterPolicyScope", "MessageBody")));
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint(function("audit")));

        local.sns.publish(r -> r.topicArn(topicArn).message("{\"type\":\"customer.signup\"}"));
        local.sns.publish(r -> r.topicArn(topicArn).message("{\"type\":\"order.placed\"}"));

        List<LocalSns.Invocation> invocations = local.awaitInvocations(3);
        assertThat(invocations).filteredOn(i -> i.functionName().equals("audit")).hasSize(2);
        assertThat(invocations).filteredOn(i -> i.functionName().equals("orders")).singleElement()
                .satisfies(i -> assertThat(i.payload()).contains("order.placed"));
    }

    @Test
    void anUnknownFunctionDoesNotFailThePublish() {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("nobody"))).topicArn();
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint(function("not-deployed")));
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint(function("audit")));

        assertThat(local.sns.publish(r -> r.topicArn(topicArn).message("m")).messageId()).isNotBlank();
        assertThat(local.awaitInvocations(1)).extracting(LocalSns.Invocation::functionName).containsExactly("audit");
    }

    @Test
    void subscribeRefusesBadEndpointsAndOtherProtocols() {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("strict"))).topicArn();

        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda").endpoint("audit")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Lambda endpoint ARN");
        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn(topicArn).protocol("https")
                .endpoint("https://example.com/hook")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("sqs and lambda").hasMessageContaining("https");
        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn(topicArn).protocol("carrier-pigeon").endpoint("x")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("carrier-pigeon");
        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn(topicArn).protocol("lambda")
                .endpoint(function("audit")).attributes(Map.of("RawMessageDelivery", "true"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("raw message delivery");
    }
}
