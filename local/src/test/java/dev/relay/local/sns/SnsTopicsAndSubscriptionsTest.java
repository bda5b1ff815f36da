package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;

/** Topic and subscription management through the SDK, and the errors SNS answers. */
class SnsTopicsAndSubscriptionsTest {

    static LocalSns local;

    @BeforeAll
    static void start() {
        local = new LocalSns();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void createTopicIsIdempotentByNameAndShowsItsAttributes() {
        String name = local.unique("relay-events");
        String arn = local.sns.createTopic(r -> r.name(name).attributes(Map.of("DisplayName", "Relay events",
                "KmsMasterKeyId", "alias/aws/sns"))).topicArn();

        assertThat(arn).isEqualTo("arn:aws:sns:us-east-1:000000000000:" + name);
        assertThat(local.sns.createTopic(r -> r.name(name)).topicArn()).isEqualTo(arn);
        Map<String, String> attributes = local.sns.getTopicAttributes(r -> r.topicArn(arn)).attributes();
        assertThat(attributes).containsEntry("TopicArn", arn).containsEntry("DisplayName", "Relay events")
                .containsEntry("KmsMasterKeyId", "alias/aws/sns").containsEntry("Owner", "000000000000")
                .containsEntry("SubscriptionsConfirmed", "0").containsKey("Policy").containsKey("EffectiveDeliveryPolicy");
        assertThatThrownBy(() -> local.sns.createTopic(r -> r.name(name).attributes(Map.of("DisplayName", "other"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("different attributes");
    }

    @Test
    void setTopicAttributesChangesWhatGetShows() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("named"))).topicArn();
        local.sns.setTopicAttributes(r -> r.topicArn(arn).attributeName("DisplayName").attributeValue("Shown"));

        assertThat(local.sns.getTopicAttributes(r -> r.topicArn(arn)).attributes()).containsEntry("DisplayName", "Shown");
        assertThatThrownBy(() -> local.sns.setTopicAttributes(r -> r.topicArn(arn).attributeName("Colour")
                .attributeValue("blue"))).isInstanceOf(InvalidParameterException.class).hasMessageContaining("Colour");
        assertThatThrownBy(() -> local.sns.setTopicAttributes(r -> r.topicArn(arn).attributeName("Policy")
                .attributeValue("{not json"))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Policy").hasMessageContaining("JSON");
    }

    @Test
    void topicNamesAreChecked() {
        assertThatThrownBy(() -> local.sns.createTopic(r -> r.name("has spaces")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("has spaces");
        assertThatThrownBy(() -> local.sns.createTopic(r -> r.name("orders.fifo")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("FifoTopic");
    }

    @Test
    void listTopicsPagesByHundred() {
        IntStream.range(0, 120).forEach(i -> local.sns.createTopic(r -> r.name(local.unique("many"))));

        List<String> all = local.sns.listTopicsPaginator(r -> { }).topics().stream().map(Topic::topicArn).toList();
        var firstPage = local.sns.listTopics(r -> { });

        assertThat(firstPage.topics()).hasSize(100);
        assertThat(firstPage.nextToken()).isNotNull();
        assertThat(all).hasSizeGreaterThanOrEqualTo(120).doesNotHaveDuplicates();
        assertThatThrownBy(() -> local.sns.listTopics(r -> r.nextToken("bogus")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("NextToken");
    }

    @Test
    void deleteTopicRemovesItAndItsSubscriptions() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("doomed"))).topicArn();
        String queueArn = local.queue(local.unique("doomed"));
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn))
                .subscriptionArn();

        local.sns.deleteTopic(r -> r.topicArn(arn));

        assertThatThrownBy(() -> local.sns.getTopicAttributes(r -> r.topicArn(arn)))
                .isInstanceOf(NotFoundException.class).satisfies(e -> assertThat(((SnsException) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> local.sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)))
                .isInstanceOf(NotFoundException.class);
        local.sns.deleteTopic(r -> r.topicArn(arn)); // idempotent, as on SNS
    }

    @Test
    void subscriptionsAreListedAndDescribed() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("listed"))).topicArn();
        String queueArn = local.queue(local.unique("listed"));
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy", "{\"type\":[\"a\"]}",
                        "RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\"}")))
                .subscriptionArn();

        assertThat(subscriptionArn).startsWith(arn + ":");
        assertThat(local.sns.listSubscriptionsByTopic(r -> r.topicArn(arn)).subscriptions()).singleElement()
                .satisfies(s -> {
                    assertThat(s.subscriptionArn()).isEqualTo(subscriptionArn);
                    assertThat(s.protocol()).isEqualTo("sqs");
                    assertThat(s.endpoint()).isEqualTo(queueArn);
                    assertThat(s.topicArn()).isEqualTo(arn);
                    assertThat(s.owner()).isEqualTo("000000000000");
                });
        assertThat(local.sns.listSubscriptions().subscriptions()).extracting(Subscription::subscriptionArn)
                .contains(subscriptionArn);
        assertThat(local.sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)).attributes())
                .containsEntry("RawMessageDelivery", "true").containsEntry("FilterPolicy", "{\"type\":[\"a\"]}")
                .containsEntry("FilterPolicyScope", "MessageAttributes").containsEntry("Protocol", "sqs")
                .containsEntry("Endpoint", queueArn).containsEntry("PendingConfirmation", "false")
                .containsKey("RedrivePolicy");
        assertThat(local.sns.getTopicAttributes(r -> r.topicArn(arn)).attributes())
                .containsEntry("SubscriptionsConfirmed", "1");
    }

    @Test
    void subscribingTwiceReturnsTheSameSubscriptionUnlessAttributesDiffer() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("twice"))).topicArn();
        String queueArn = local.queue(local.unique("twice"));
        String first = local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)).subscriptionArn();

        assertThat(local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)).subscriptionArn())
                .isEqualTo(first);
        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("different attributes");
    }

    @Test
    void setSubscriptionAttributesRevalidatesTheFilterPolicyWithItsScope() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("scoped"))).topicArn();
        String queueArn = local.queue(local.unique("scoped"));
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("FilterPolicyScope", "MessageBody",
                        "FilterPolicy", "{\"order\":{\"status\":[\"placed\"]}}"))).subscriptionArn();

        assertThatThrownBy(() -> local.sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)
                .attributeName("FilterPolicyScope").attributeValue("MessageAttributes")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("FilterPolicy")
                .hasMessageContaining("order").hasMessageContaining("nested");
        local.sns.setSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn).attributeName("RawMessageDelivery")
                .attributeValue("true"));
        assertThat(local.sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscriptionArn)).attributes())
                .containsEntry("RawMessageDelivery", "true").containsEntry("FilterPolicyScope", "MessageBody");
    }

    @Test
    void invalidFilterPoliciesAreRefusedNamingTheProblem() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("picky"))).topicArn();
        String queueArn = local.queue(local.unique("picky"));

        assertThatThrownBy(() -> subscribeWithPolicy(arn, queueArn, "{\"price\":[{\"numeric\":[\">\",\"ten\"]}]}"))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("FilterPolicy")
                .hasMessageContaining("price").hasMessageContaining("needs a number");
        assertThatThrownBy(() -> subscribeWithPolicy(arn, queueArn, "{\"type\":[{\"prefx\":\"a\"}]}"))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("prefx");
        assertThatThrownBy(() -> subscribeWithPolicy(arn, queueArn, "{\"type\":"))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("FilterPolicyScope", "Body"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("FilterPolicyScope");
        assertThat(local.sns.listSubscriptionsByTopic(r -> r.topicArn(arn)).subscriptions()).isEmpty();
    }

    private static void subscribeWithPolicy(String topicArn, String queueArn, String policy) {
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("FilterPolicy", policy)));
    }

    @Test
    void unsubscribeStopsDeliveryAndUnknownSubscriptionsAreNotFound() {
        String arn = local.sns.createTopic(r -> r.name(local.unique("leaving"))).topicArn();
        String queueArn = local.queue(local.unique("leaving"));
        String subscriptionArn = local.sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(queueArn))
                .subscriptionArn();

        local.sns.unsubscribe(r -> r.subscriptionArn(subscriptionArn));
        local.sns.publish(r -> r.topicArn(arn).message("after unsubscribe"));

        assertThat(local.receive(queueArn)).isEmpty();
        assertThatThrownBy(() -> local.sns.unsubscribe(r -> r.subscriptionArn(subscriptionArn)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(subscriptionArn);
    }

    @Test
    void missingOrUnknownTopicsAreReportedAsSnsDoes() {
        assertThatThrownBy(() -> local.sns.getTopicAttributes(r -> { }))
                .isInstanceOf(SnsException.class)
                .satisfies(e -> {
                    assertThat(((SnsException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e).hasMessageContaining("topicArn");
                });
        assertThatThrownBy(() -> local.sns.subscribe(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:nope")
                .protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:q")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Topic does not exist");
        assertThatThrownBy(() -> local.sns.listSubscriptionsByTopic(r -> r.topicArn("not-an-arn")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("not-an-arn");
    }
}
