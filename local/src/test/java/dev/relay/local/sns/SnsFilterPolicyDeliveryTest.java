package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Filter policies through the whole path: Subscribe with FilterPolicy (and FilterPolicyScope) over the wire, Publish,
 * and what lands on the queue. Cases follow the examples of the SNS developer guide's message filtering pages.
 */
class SnsFilterPolicyDeliveryTest {

    static LocalSns local;

    @BeforeAll
    static void start() {
        local = new LocalSns();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    /** Attributes written {@code name=Type:value}, e.g. {@code "price_usd=Number:210.75"}. */
    static Arguments attributes(String policy, boolean delivered, String... attributes) {
        return Arguments.of(policy, delivered, List.of(attributes));
    }

    static Stream<Arguments> attributeScope() {
        return Stream.of(
                attributes("{\"store\":[\"example_corp\"]}", true, "store=String:example_corp"),
                attributes("{\"store\":[\"example_corp\"]}", false, "store=String:other_corp"),
                attributes("{\"store\":[\"example_corp\"]}", false, "event=String:order_placed"),
                attributes("{\"store\":[\"example_corp\"],\"event\":[\"order_placed\"]}", true,
                        "store=String:example_corp", "event=String:order_placed"),
                attributes("{\"store\":[\"example_corp\"],\"event\":[\"order_placed\"]}", false,
                        "store=String:example_corp", "event=String:order_cancelled"),
                attributes("{\"price_usd\":[{\"numeric\":[\"=\",301.5]}]}", true, "price_usd=Number:301.50"),
                attributes("{\"price_usd\":[{\"numeric\":[\">\",0,\"<=\",150]}]}", true, "price_usd=Number:150"),
                attributes("{\"price_usd\":[{\"numeric\":[\">\",0,\"<=\",150]}]}", false, "price_usd=Number:150.01"),
                attributes("{\"price_usd\":[{\"numeric\":[\">\",0,\"<=\",150]}]}", false, "price_usd=Number:0"),
                attributes("{\"store\":[{\"anything-but\":[\"example_corp\",\"test\"]}]}", true, "store=String:another"),
                attributes("{\"store\":[{\"anything-but\":[\"example_corp\",\"test\"]}]}", false, "store=String:test"),
                attributes("{\"store\":[{\"anything-but\":[\"example_corp\",\"test\"]}]}", false, "event=String:x"),
                attributes("{\"price_usd\":[{\"anything-but\":[100,500]}]}", true, "price_usd=Number:200"),
                attributes("{\"price_usd\":[{\"anything-but\":[100,500]}]}", false, "price_usd=Number:500"),
                attributes("{\"event\":[{\"anything-but\":{\"prefix\":\"order-\"}}]}", true, "event=String:data-entry"),
                attributes("{\"event\":[{\"anything-but\":{\"prefix\":\"order-\"}}]}", false,
                        "event=String:order-cancelled"),
                attributes("{\"customer_interests\":[{\"prefix\":\"bas\"}]}", true, "customer_interests=String:baseball"),
                attributes("{\"customer_interests\":[{\"prefix\":\"bas\"}]}", false, "customer_interests=String:rugby"),
                attributes("{\"customer_interests\":[{\"suffix\":\"ball\"}]}", true, "customer_interests=String:baseball"),
                attributes("{\"customer_interests\":[{\"suffix\":\"ball\"}]}", false, "customer_interests=String:rugby"),
                attributes("{\"customer_interests\":[{\"equals-ignore-case\":\"tennis\"}]}", true,
                        "customer_interests=String:TeNnIs"),
                attributes("{\"customer_interests\":[{\"equals-ignore-case\":\"tennis\"}]}", false,
                        "customer_interests=String:tennis-elbow"),
                attributes("{\"store\":[{\"exists\":true}]}", true, "store=String:example_corp"),
                attributes("{\"store\":[{\"exists\":true}]}", false, "event=String:order_placed"),
                attributes("{\"store\":[{\"exists\":false}]}", true, "event=String:order_placed"),
                attributes("{\"store\":[{\"exists\":false}]}", false, "store=String:example_corp"),
                attributes("{\"customer_interests\":[\"rugby\"]}", true,
                        "customer_interests=String.Array:[\"rugby\",\"football\"]"),
                attributes("{\"customer_interests\":[\"rugby\"]}", false,
                        "customer_interests=String.Array:[\"baseball\"]"),
                attributes("{\"source\":[\"aws.cloudwatch\"],\"$or\":[{\"metricName\":[\"CPUUtilization\"]},"
                        + "{\"namespace\":[\"AWS/EC2\"]}]}", true, "source=String:aws.cloudwatch",
                        "namespace=String:AWS/EC2"),
                attributes("{\"source\":[\"aws.cloudwatch\"],\"$or\":[{\"metricName\":[\"CPUUtilization\"]},"
                        + "{\"namespace\":[\"AWS/EC2\"]}]}", false, "source=String:aws.cloudwatch",
                        "namespace=String:AWS/RDS"),
                attributes("{\"source_ip\":[{\"cidr\":\"10.0.0.0/24\"}]}", true, "source_ip=String:10.0.0.255"),
                attributes("{\"source_ip\":[{\"cidr\":\"10.0.0.0/24\"}]}", false, "source_ip=String:10.0.1.1"));
    }

    static Stream<Arguments> bodyScope() {
        return Stream.of(
                Arguments.of("{\"store\":[\"example_corp\"]}", true, "{\"store\":\"example_corp\",\"price\":3}"),
                Arguments.of("{\"store\":[\"example_corp\"]}", false, "{\"store\":\"other\"}"),
                Arguments.of("{\"order\":{\"status\":[\"placed\"]}}", true, "{\"order\":{\"status\":\"placed\",\"id\":7}}"),
                Arguments.of("{\"order\":{\"status\":[\"placed\"]}}", false, "{\"order\":{\"status\":\"cancelled\"}}"),
                Arguments.of("{\"price\":[{\"numeric\":[\">=\",10,\"<\",20]}]}", true, "{\"price\":15}"),
                Arguments.of("{\"price\":[{\"numeric\":[\">=\",10,\"<\",20]}]}", false, "{\"price\":20}"),
                Arguments.of("{\"type\":[{\"prefix\":\"customer.\"}]}", true, "{\"type\":\"customer.signup\"}"),
                Arguments.of("{\"type\":[{\"suffix\":\".completed\"}]}", false, "{\"type\":\"welcome.started\"}"),
                Arguments.of("{\"type\":[{\"anything-but\":[\"order.placed\"]}]}", true, "{\"type\":\"customer.signup\"}"),
                Arguments.of("{\"type\":[{\"anything-but\":[\"order.placed\"]}]}", false, "{\"type\":\"order.placed\"}"),
                Arguments.of("{\"region\":[{\"equals-ignore-case\":\"EU-WEST-1\"}]}", true, "{\"region\":\"eu-west-1\"}"),
                Arguments.of("{\"coupon\":[{\"exists\":false}]}", true, "{\"price\":1}"),
                Arguments.of("{\"coupon\":[{\"exists\":false}]}", false, "{\"coupon\":\"SAVE\"}"),
                Arguments.of("{\"tags\":[\"vip\"]}", true, "{\"tags\":[\"eu\",\"vip\"]}"),
                Arguments.of("{\"$or\":[{\"a\":[1]},{\"b\":{\"c\":[true]}}]}", true, "{\"b\":{\"c\":true}}"),
                Arguments.of("{\"$or\":[{\"a\":[1]},{\"b\":{\"c\":[true]}}]}", false, "{\"a\":2,\"b\":{\"c\":false}}"),
                Arguments.of("{\"store\":[\"example_corp\"]}", false, "not json at all"));
    }

    @ParameterizedTest(name = "[{index}] {0} {2} delivered={1}")
    @MethodSource("attributeScope")
    void attributeScopedPolicies(String policy, boolean delivered, List<String> attributes) {
        Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
        for (String attribute : attributes) {
            String name = attribute.substring(0, attribute.indexOf('='));
            String type = attribute.substring(name.length() + 1, attribute.indexOf(':'));
            values.put(name, MessageAttributeValue.builder().dataType(type)
                    .stringValue(attribute.substring(attribute.indexOf(':') + 1)).build());
        }
        assertThat(deliveredThrough(policy, "MessageAttributes", "payload", values)).isEqualTo(delivered);
    }

    @ParameterizedTest(name = "[{index}] {0} {2} delivered={1}")
    @MethodSource("bodyScope")
    void bodyScopedPolicies(String policy, boolean delivered, String body) {
        assertThat(deliveredThrough(policy, "MessageBody", body, Map.of())).isEqualTo(delivered);
    }

    /** A fresh topic and raw queue subscribed with the policy; publishes once and reports whether it arrived. */
    private static boolean deliveredThrough(String policy, String scope, String body,
                                            Map<String, MessageAttributeValue> attributes) {
        String topicArn = local.sns.createTopic(r -> r.name(local.unique("filtered"))).topicArn();
        String queueArn = local.queue(local.unique("filtered"));
        local.sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(Map.of(
                "RawMessageDelivery", "true", "FilterPolicy", policy, "FilterPolicyScope", scope)));

        local.sns.publish(r -> r.topicArn(topicArn).message(body).messageAttributes(attributes));

        List<Message> received = local.receive(queueArn);
        received.forEach(message -> assertThat(message.body()).isEqualTo(body));
        return !received.isEmpty();
    }
}
