package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases taken from the Amazon SNS developer guide, "Amazon SNS message filtering" chapter
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html and its sub-pages).
 */
class FilterPolicyTest {

    static final String INTERESTS = "{\"customer_interests\": [\"rugby\", \"tennis\"]}";
    static final String ANYTHING_BUT = "{\"customer_interests\": [{\"anything-but\": [\"rugby\", \"tennis\"]}]}";
    static final String NUMERIC_EXACT = "{\"price_usd\": [{\"numeric\": [\"=\", 301.5]}]}";
    static final String NUMERIC_RANGE = "{\"price_usd\": [{\"numeric\": [\">\", 0, \"<=\", 150]}]}";
    static final String STORE_EXISTS = "{\"store\": [{\"exists\": true}]}";
    static final String STORE_ABSENT = "{\"store\": [{\"exists\": false}]}";
    static final String AND = "{\"customer_interests\": [\"rugby\"], \"price_usd\": [{\"numeric\": [\">\", 100]}]}";
    static final String OR = "{\"source\": [\"aws.cloudwatch\"], \"$or\": [{\"metricName\": [\"CPUUtilization\"]},"
            + " {\"namespace\": [\"AWS/EC2\"]}]}";
    static final String NESTED_OR = "{\"source\": [\"aws.cloudwatch\"], \"$or\": ["
            + "{\"metricName\": [\"CPUUtilization\", \"ReadLatency\"]},"
            + "{\"metricType\": [\"MetricType\"], \"$or\": [{\"metricId\": [1234, 4321]}, {\"spaceId\": [1000, 2000, 3000]}]}]}";

    static Stream<Arguments> documentedExamples() {
        return Stream.of(
                // "String value matching" > "Exact matching"
                attributes(INTERESTS, true, "customer_interests", "String", "rugby"),
                attributes(INTERESTS, true, "customer_interests", "String", "tennis"),
                attributes(INTERESTS, true, "customer_interests", "String.Array", "[\"rugby\", \"tennis\"]"),
                body(INTERESTS, true, "{\"customer_interests\": \"rugby\"}"),
                attributes(INTERESTS, false, "customer_interests", "String", "baseball"),
                attributes(INTERESTS, false, "customer_interests", "String.Array", "[\"baseball\"]"),
                body(INTERESTS, false, "{\"customer_interests\": \"baseball\"}"),
                // "String value matching" > "Anything-but matching" (String.Array: matches only if no element is listed)
                attributes(ANYTHING_BUT, true, "customer_interests", "String", "baseball"),
                attributes(ANYTHING_BUT, true, "customer_interests", "String", "football"),
                body(ANYTHING_BUT, true, "{\"customer_interests\": \"football\"}"),
                attributes(ANYTHING_BUT, false, "customer_interests", "String", "rugby"),
                attributes(ANYTHING_BUT, false, "customer_interests", "String.Array", "[\"rugby\", \"baseball\"]"),
                attributes(ANYTHING_BUT, true, "customer_interests", "String.Array", "[\"baseball\", \"football\"]"),
                attributes("{\"customer_interests\": [{\"anything-but\": \"rugby\"}]}", true, "customer_interests", "String", "tennis"),
                // "String value matching" > "Anything-but matching using a prefix" / "using a suffix"
                attributes("{\"event\": [{\"anything-but\": {\"prefix\": \"order-\"}}]}", true, "event", "String", "data-entry"),
                attributes("{\"event\": [{\"anything-but\": {\"prefix\": \"order-\"}}]}", false, "event", "String", "order-cancelled"),
                attributes("{\"event\": [{\"anything-but\": {\"suffix\": \"-cancelled\"}}]}", true, "event", "String", "order-created"),
                attributes("{\"event\": [{\"anything-but\": {\"suffix\": \"-cancelled\"}}]}", false, "event", "String", "order-cancelled"),
                // "String value matching" > "Equals-ignore-case matching"
                attributes("{\"customer_interests\": [{\"equals-ignore-case\": \"tennis\"}]}", true, "customer_interests", "String", "TENNIS"),
                attributes("{\"customer_interests\": [{\"equals-ignore-case\": \"tennis\"}]}", true, "customer_interests", "String", "Tennis"),
                attributes("{\"customer_interests\": [{\"equals-ignore-case\": \"tennis\"}]}", false, "customer_interests", "String", "baseball"),
                // "String value matching" > "IP address matching"
                attributes("{\"source_ip\": [{\"cidr\": \"10.0.0.0/24\"}]}", true, "source_ip", "String", "10.0.0.0"),
                attributes("{\"source_ip\": [{\"cidr\": \"10.0.0.0/24\"}]}", true, "source_ip", "String", "10.0.0.255"),
                attributes("{\"source_ip\": [{\"cidr\": \"10.0.0.0/24\"}]}", false, "source_ip", "String", "10.1.1.0"),
                attributes("{\"source_ip\": [{\"cidr\": \"2001:db8::/32\"}]}", true, "source_ip", "String", "2001:db8:1::5"),
                // "String value matching" > "Prefix matching" / "Suffix matching"
                attributes("{\"customer_interests\": [{\"prefix\": \"bas\"}]}", true, "customer_interests", "String", "baseball"),
                attributes("{\"customer_interests\": [{\"prefix\": \"bas\"}]}", true, "customer_interests", "String", "basketball"),
                attributes("{\"customer_interests\": [{\"prefix\": \"bas\"}]}", false, "customer_interests", "String", "rugby"),
                attributes("{\"customer_interests\": [{\"suffix\": \"ball\"}]}", true, "customer_interests", "String", "baseball"),
                attributes("{\"customer_interests\": [{\"suffix\": \"ball\"}]}", false, "customer_interests", "String", "rugby"),
                // "Numeric value matching" > "Exact matching"
                attributes(NUMERIC_EXACT, true, "price_usd", "Number", "301.5"),
                attributes(NUMERIC_EXACT, true, "price_usd", "Number", "3.015e2"),
                body(NUMERIC_EXACT, true, "{\"price_usd\": 301.5}"),
                attributes(NUMERIC_EXACT, false, "price_usd", "Number", "300"),
                // "Numeric value matching" > "Anything-but matching"
                attributes("{\"price_usd\": [{\"anything-but\": [100, 500]}]}", true, "price_usd", "Number", "101"),
                attributes("{\"price_usd\": [{\"anything-but\": [100, 500]}]}", true, "price_usd", "Number", "99.5"),
                attributes("{\"price_usd\": [{\"anything-but\": [100, 500]}]}", false, "price_usd", "Number", "100"),
                // "Numeric value matching" > "Value range matching"
                attributes(NUMERIC_RANGE, true, "price_usd", "Number", "100"),
                attributes(NUMERIC_RANGE, true, "price_usd", "Number", "150"),
                attributes(NUMERIC_RANGE, false, "price_usd", "Number", "151"),
                attributes(NUMERIC_RANGE, false, "price_usd", "Number", "0"),
                attributes(NUMERIC_RANGE, false, "price_usd", "String", "100"),
                // "Key matching" (exists)
                attributes(STORE_EXISTS, true, "store", "String", "fans"),
                attributes(STORE_EXISTS, false, "customer_interests", "String.Array", "[\"baseball\", \"basketball\"]"),
                body(STORE_EXISTS, true, "{\"store\": \"fans\", \"customer_interests\": [\"baseball\", \"basketball\"]}"),
                body(STORE_EXISTS, false, "{\"customer_interests\": [\"baseball\", \"basketball\"]}"),
                attributes(STORE_ABSENT, true, "customer_interests", "String.Array", "[\"baseball\", \"basketball\"]"),
                attributes(STORE_ABSENT, false, "store", "String", "fans"),
                noAttributes(STORE_ABSENT, false),
                // "AND/OR logic" > "AND logic"
                attributes(AND, true, "customer_interests", "String", "rugby", "price_usd", "Number", "150"),
                attributes(AND, false, "customer_interests", "String", "rugby", "price_usd", "Number", "50"),
                attributes(AND, false, "customer_interests", "String", "rugby"),
                // "AND/OR logic" > "OR logic"
                attributes("{\"customer_interests\": [\"rugby\", \"football\", \"baseball\"]}", true,
                        "customer_interests", "String", "football"),
                // "AND/OR logic" > "OR operator"
                attributes(OR, true, "source", "String", "aws.cloudwatch", "metricName", "String", "CPUUtilization"),
                attributes(OR, true, "source", "String", "aws.cloudwatch", "namespace", "String", "AWS/EC2"),
                attributes(OR, false, "source", "String", "aws.cloudwatch"),
                attributes(OR, false, "metricName", "String", "CPUUtilization"),
                body(NESTED_OR, true, "{\"source\": \"aws.cloudwatch\", \"metricType\": \"MetricType\", \"spaceId\": 2000}"),
                body(NESTED_OR, true, "{\"source\": \"aws.cloudwatch\", \"metricName\": \"ReadLatency\"}"),
                body(NESTED_OR, false, "{\"source\": \"aws.cloudwatch\", \"metricType\": \"MetricType\"}"),
                // "Message body filtering" (payload-based): policy objects nest into the body
                body("{\"customer\": {\"interests\": [\"rugby\"]}}", true, "{\"customer\": {\"interests\": [\"cricket\", \"rugby\"]}}"),
                body("{\"customer\": {\"interests\": [\"rugby\"]}}", false, "{\"customer\": {\"interests\": \"cricket\"}}"),
                body("{\"orders\": {\"status\": [\"paid\"]}}", true, "{\"orders\": [{\"status\": \"open\"}, {\"status\": \"paid\"}]}"),
                body("{\"customer_interests\": [\"rugby\"]}", false, "rugby is not JSON"),
                body("{}", true, "anything at all"),
                // "Filter policy constraints": the JSON may contain null; Binary attributes are not compared
                body("{\"coupon\": [null]}", true, "{\"coupon\": null}"),
                body("{\"coupon\": [null]}", false, "{\"coupon\": \"SPRING\"}"),
                attributes("{\"image\": [{\"exists\": true}]}", false, "image", "Binary", "aGVsbG8="));
    }

    @ParameterizedTest(name = "{0} on {1} -> {3}")
    @MethodSource("documentedExamples")
    void matchesAsDocumented(String policy, String message, FilterPolicy.Scope scope, boolean expected,
            Map<String, MessageAttribute> attributes) throws FilterPolicyException {
        FilterPolicy parsed = FilterPolicy.parse(policy, scope);

        assertThat(parsed.matches(message, attributes)).isEqualTo(expected);
    }

    static Arguments attributes(String policy, boolean expected, String... nameTypeValue) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (int i = 0; i < nameTypeValue.length; i += 3) {
            attributes.put(nameTypeValue[i], new MessageAttribute(nameTypeValue[i + 1], nameTypeValue[i + 2]));
        }
        return Arguments.of(policy, attributes.toString(), FilterPolicy.Scope.MESSAGE_ATTRIBUTES, expected, attributes);
    }

    static Arguments noAttributes(String policy, boolean expected) {
        return Arguments.of(policy, "{}", FilterPolicy.Scope.MESSAGE_ATTRIBUTES, expected, Map.of());
    }

    static Arguments body(String policy, boolean expected, String body) {
        return Arguments.of(policy, body, FilterPolicy.Scope.MESSAGE_BODY, expected, Map.of());
    }
}
