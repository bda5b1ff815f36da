package dev.relay.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A confirmed subscription of a topic (local subscriptions to SQS and Lambda need no confirmation, as on AWS within
 * one account). Immutable; {@code filterPolicy} is the parsed {@code FilterPolicy} attribute, null when there is none.
 */
public record Subscription(String arn, String topicArn, String protocol, String endpoint,
                           Map<String, String> attributes, FilterPolicy filterPolicy) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final Set<String> SETTABLE = Set.of("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope",
            "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");

    public Subscription {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Validates every attribute and parses the filter policy against its scope. */
    static Subscription create(String arn, String topicArn, String protocol, String endpoint,
                               Map<String, String> attributes) {
        Map<String, String> checked = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (!SETTABLE.contains(name)) {
                throw unknown("Attributes", name);
            }
            if (!(name.equals("FilterPolicy") && value.isEmpty())) {
                checked.put(name, check(protocol, name, value));
            }
        });
        FilterPolicy policy = null;
        String scope = checked.get("FilterPolicyScope");
        FilterPolicy.Scope parsedScope;
        try {
            parsedScope = FilterPolicy.Scope.of(scope);
        } catch (FilterPolicyException e) {
            throw SnsException.invalidParameter("FilterPolicyScope", e.getMessage());
        }
        if (checked.containsKey("FilterPolicy")) {
            try {
                policy = FilterPolicy.parse(checked.get("FilterPolicy"), parsedScope);
            } catch (FilterPolicyException e) {
                throw new SnsException(SnsError.INVALID_PARAMETER, "Invalid parameter: " + e.getMessage());
            }
        }
        return new Subscription(arn, topicArn, protocol, endpoint, checked, policy);
    }

    /** This subscription with one attribute changed (SetSubscriptionAttributes); an empty FilterPolicy removes it. */
    Subscription with(String name, String value) {
        if (!SETTABLE.contains(name)) {
            throw unknown("AttributeName", name);
        }
        Map<String, String> next = new LinkedHashMap<>(attributes);
        next.put(name, value == null ? "" : value);
        return create(arn, topicArn, protocol, endpoint, next);
    }

    public boolean rawMessageDelivery() {
        return "true".equals(attributes.get("RawMessageDelivery"));
    }

    /** Whether SNS delivers this message here: no policy matches everything. */
    public boolean accepts(String message, Map<String, MessageAttribute> messageAttributes) {
        return filterPolicy == null || filterPolicy.matches(message, messageAttributes);
    }

    /** What GetSubscriptionAttributes shows. */
    Map<String, String> describe(String owner) {
        Map<String, String> all = new TreeMap<>();
        all.put("SubscriptionArn", arn);
        all.put("TopicArn", topicArn);
        all.put("Owner", owner);
        all.put("Protocol", protocol);
        all.put("Endpoint", endpoint);
        all.put("PendingConfirmation", "false");
        all.put("ConfirmationWasAuthenticated", "true");
        all.put("RawMessageDelivery", "false");
        all.put("EffectiveDeliveryPolicy", Topic.EFFECTIVE_DELIVERY_POLICY);
        if (filterPolicy != null) {
            all.put("FilterPolicyScope", "MessageAttributes");
        }
        all.putAll(attributes);
        return all;
    }

    private static SnsException unknown(String parameter, String name) {
        return SnsException.invalidParameter(parameter, "unknown subscription attribute \"" + name
                + "\"; settable are " + String.join(", ", new TreeSet<>(SETTABLE)));
    }

    private static String check(String protocol, String name, String value) {
        return switch (name) {
            case "RawMessageDelivery" -> {
                String raw = Topic.bool(name, value);
                if (raw.equals("true") && !protocol.equals("sqs")) {
                    throw SnsException.invalidParameter("Attributes", "Delivery protocol [" + protocol
                            + "] does not support raw message delivery.");
                }
                yield raw;
            }
            case "RedrivePolicy" -> redrivePolicy(value);
            case "DeliveryPolicy", "ReplayPolicy" -> Topic.jsonObject(name, value);
            default -> value;
        };
    }

    /** {@code {"deadLetterTargetArn": "arn:aws:sqs:..."}}: stored; the local SNS does not redrive (yet). */
    private static String redrivePolicy(String value) {
        Topic.jsonObject("RedrivePolicy", value);
        try {
            JsonNode target = JSON.readTree(value).get("deadLetterTargetArn");
            boolean sqsArn = target != null && target.isTextual()
                    && Arn.parse(target.asText()).flatMap(Arn::sqsQueueName).isPresent();
            if (!sqsArn) {
                throw SnsException.invalidParameter("RedrivePolicy",
                        "deadLetterTargetArn must be the ARN of an SQS queue, got " + target);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checked as JSON above", e);
        }
    }
}
