package dev.relay.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A topic: its ARN, name, the attributes set on it and its tags. Immutable; a change makes a new {@code Topic}, so a
 * publisher always sees one consistent version.
 */
public record Topic(String arn, String name, Map<String, String> attributes, Map<String, String> tags) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The settable topic attributes of CreateTopic and SetTopicAttributes (KMS, logging and tracing are stored only). */
    static final Set<String> SETTABLE = Set.of("DeliveryPolicy", "DisplayName", "Policy", "TracingConfig",
            "KmsMasterKeyId", "SignatureVersion", "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy",
            "FifoThroughputScope", "DataProtectionPolicy",
            "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate",
            "ApplicationFailureFeedbackRoleArn", "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate",
            "HTTPFailureFeedbackRoleArn", "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate",
            "LambdaFailureFeedbackRoleArn", "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate",
            "SQSFailureFeedbackRoleArn", "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate",
            "FirehoseFailureFeedbackRoleArn");

    public Topic {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A new topic; validates the name (1-256 of A-Z a-z 0-9 - _, FIFO ending in .fifo) and every attribute. */
    static Topic create(String arn, String name, Map<String, String> attributes, Map<String, String> tags) {
        Map<String, String> checked = new LinkedHashMap<>();
        attributes.forEach((key, value) -> checked.put(key, checkAttribute(key, value)));
        boolean fifo = "true".equals(checked.get("FifoTopic"));
        String base = name.endsWith(".fifo") ? name.substring(0, name.length() - ".fifo".length()) : name;
        if (!base.matches("[A-Za-z0-9_-]{1,256}") || name.length() > 256) {
            throw SnsException.invalidParameter("Topic Name", "\"" + name + "\" must be 1 to 256 characters of "
                    + "letters, digits, hyphens and underscores (plus .fifo for a FIFO topic)");
        }
        if (fifo != name.endsWith(".fifo")) {
            throw SnsException.invalidParameter("Topic Name", fifo
                    ? "a FIFO topic's name must end with .fifo"
                    : "a name ending with .fifo needs the attribute FifoTopic=true");
        }
        if (!fifo && checked.containsKey("ContentBasedDeduplication")) {
            throw SnsException.invalidParameter("Attributes", "ContentBasedDeduplication applies to FIFO topics only");
        }
        if (!fifo) {
            checked.remove("FifoTopic");
        }
        return new Topic(arn, name, checked, tags);
    }

    /** This topic with one more attribute set (SetTopicAttributes); an empty value clears it. */
    Topic with(String attribute, String value) {
        if ("FifoTopic".equals(attribute)) {
            throw SnsException.invalidParameter("AttributeName", "FifoTopic can only be set when the topic is created");
        }
        if ("ContentBasedDeduplication".equals(attribute) && !fifo()) {
            throw SnsException.invalidParameter("AttributeName", "ContentBasedDeduplication applies to FIFO topics only");
        }
        Map<String, String> next = new LinkedHashMap<>(attributes);
        if (value == null || value.isEmpty()) {
            checkName(attribute);
            next.remove(attribute);
        } else {
            next.put(attribute, checkAttribute(attribute, value));
        }
        return new Topic(arn, name, next, tags);
    }

    public boolean fifo() {
        return "true".equals(attributes.get("FifoTopic"));
    }

    public boolean contentBasedDeduplication() {
        return "true".equals(attributes.get("ContentBasedDeduplication"));
    }

    /** What GetTopicAttributes shows: the attributes set plus the ones SNS computes. */
    Map<String, String> describe(String owner, int subscriptions) {
        Map<String, String> all = new TreeMap<>();
        all.put("TopicArn", arn);
        all.put("Owner", owner);
        all.put("DisplayName", "");
        all.put("Policy", defaultPolicy(owner));
        all.put("SubscriptionsConfirmed", Integer.toString(subscriptions));
        all.put("SubscriptionsPending", "0");
        all.put("SubscriptionsDeleted", "0");
        all.put("EffectiveDeliveryPolicy", EFFECTIVE_DELIVERY_POLICY);
        if (fifo()) {
            all.put("ContentBasedDeduplication", "false");
        }
        all.putAll(attributes);
        return all;
    }

    private String defaultPolicy(String owner) {
        return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":"
                + "\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":["
                + "\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\",\"SNS:AddPermission\",\"SNS:RemovePermission\","
                + "\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\",\"SNS:Publish\"],"
                + "\"Resource\":\"" + arn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"" + owner
                + "\"}}}]}";
    }

    static final String EFFECTIVE_DELIVERY_POLICY = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
            + "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,"
            + "\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,"
            + "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}";

    private static void checkName(String attribute) {
        if (!SETTABLE.contains(attribute)) {
            throw SnsException.invalidParameter("AttributeName", "unknown topic attribute \"" + attribute + "\"");
        }
    }

    /** Validates one attribute and returns its stored form. */
    private static String checkAttribute(String attribute, String value) {
        checkName(attribute);
        return switch (attribute) {
            case "FifoTopic", "ContentBasedDeduplication" -> bool(attribute, value);
            case "DisplayName" -> {
                if (value.length() > 100) {
                    throw SnsException.invalidParameter("DisplayName", "at most 100 characters, got " + value.length());
                }
                yield value;
            }
            case "SignatureVersion" -> oneOf(attribute, value, "1", "2");
            case "TracingConfig" -> oneOf(attribute, value, "PassThrough", "Active");
            case "FifoThroughputScope" -> oneOf(attribute, value, "Topic", "MessageGroup");
            case "Policy", "DeliveryPolicy", "ArchivePolicy", "DataProtectionPolicy" -> jsonObject(attribute, value);
            default -> value;
        };
    }

    static String bool(String attribute, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return value.toLowerCase(java.util.Locale.ROOT);
        }
        throw SnsException.invalidParameter(attribute, "must be true or false, got \"" + value + "\"");
    }

    private static String oneOf(String attribute, String value, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw SnsException.invalidParameter(attribute, "must be one of " + String.join(", ", allowed)
                + ", got \"" + value + "\"");
    }

    static String jsonObject(String attribute, String value) {
        try {
            if (!JSON.readTree(value).isObject()) {
                throw SnsException.invalidParameter(attribute, "must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw SnsException.invalidParameter(attribute, "is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
