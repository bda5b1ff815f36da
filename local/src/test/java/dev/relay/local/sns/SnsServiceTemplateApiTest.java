package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The programmatic API the template loader uses: topics and subscriptions built from template properties, and
 * refusals as SnsException naming the problem. Deliveries go to a recording QueueSender (the service's own port).
 */
class SnsServiceTemplateApiTest {

    final List<QueueMessage> sent = new CopyOnWriteArrayList<>();
    final SnsService sns = new SnsService("us-east-1", "000000000000", sent::add, (name, payload) -> {
        throw new AssertionError("no lambda subscriptions here");
    }, new SnsEnvelope());

    @AfterEach
    void close() {
        sns.close();
    }

    @Test
    void subscriptionPropertiesWrittenAsYamlBecomeSnsAttributes() {
        Topic topic = sns.createTopic("relay-events", Map.of("DisplayName", "Relay events"));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("RawMessageDelivery", true);
        properties.put("FilterPolicy", Map.of("type", List.of("customer.signup", Map.of("prefix", "order."))));
        properties.put("FilterPolicyScope", "MessageAttributes");

        Subscription subscription = sns.subscribe(topic.arn(), "sqs", "arn:aws:sqs:us-east-1:000000000000:crm-q",
                SnsService.attributesFromTemplate(properties));
        sns.publish(topic.arn(), Publication.of("signup", Map.of("type", MessageAttribute.string("customer.signup"))));
        sns.publish(topic.arn(), Publication.of("deploy", Map.of("type", MessageAttribute.string("deploy.done"))));
        sns.publish(topic.arn(), Publication.of("order", Map.of("type", MessageAttribute.string("order.placed"))));

        assertThat(subscription.attributes()).containsEntry("RawMessageDelivery", "true")
                .containsEntry("FilterPolicy", "{\"type\":[\"customer.signup\",{\"prefix\":\"order.\"}]}");
        assertThat(sent).extracting(m -> m.delivery().body()).containsExactly("signup", "order");
        assertThat(sent).allSatisfy(m -> assertThat(m.queueArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:crm-q"));
    }

    @Test
    void createTopicReturnsTheSameTopicForTheSameName() {
        Topic first = sns.createTopic("relay-events", Map.of());
        assertThat(sns.createTopic("relay-events", Map.of())).isEqualTo(first);
        assertThat(sns.topics()).containsExactly(first);
        assertThat(first.arn()).isEqualTo("arn:aws:sns:us-east-1:000000000000:relay-events");
    }

    @Test
    void refusalsNameTheProblem() {
        Topic topic = sns.createTopic("relay-events", Map.of());

        assertThatThrownBy(() -> sns.subscribe(topic.arn(), "sqs", "crm-q", Map.of()))
                .isInstanceOf(SnsException.class).hasMessageContaining("SQS endpoint ARN").hasMessageContaining("crm-q")
                .satisfies(e -> assertThat(((SnsException) e).error()).isEqualTo(SnsError.INVALID_PARAMETER));
        assertThatThrownBy(() -> sns.subscribe(topic.arn(), "sqs", "arn:aws:sqs:us-east-1:000000000000:q",
                Map.of("FilterPolicy", "{\"type\":[]}")))
                .isInstanceOf(SnsException.class).hasMessageContaining("FilterPolicy").hasMessageContaining("\"type\"")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> sns.subscribe(topic.arn() + "-typo", "sqs", "arn:aws:sqs:us-east-1:000000000000:q",
                Map.of())).isInstanceOf(SnsException.class).hasMessageContaining("relay-events-typo")
                .satisfies(e -> assertThat(((SnsException) e).error()).isEqualTo(SnsError.NOT_FOUND));
        assertThatThrownBy(() -> sns.subscribe(topic.arn(), "sqs", "arn:aws:sqs:us-east-1:000000000000:q",
                Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"dlq\"}")))
                .isInstanceOf(SnsException.class).hasMessageContaining("deadLetterTargetArn");
        assertThatThrownBy(() -> sns.createTopic("events.fifo", Map.of("FifoTopic", "yes")))
                .isInstanceOf(SnsException.class).hasMessageContaining("FifoTopic").hasMessageContaining("yes");
    }
}
