package dev.relay.local.sns;

import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * SNS's wire protocol: AWS query ({@code Action=...&Version=2010-03-31} as a form POST, or a GET such as the
 * UnsubscribeURL), answered in XML in SNS's namespace, errors as {@code ErrorResponse} with SNS's code and HTTP
 * status. This is the only protocol SNS clients speak: SDK v2 (2.41.x) builds its SNS client on the query protocol
 * and botocore's SNS model lists {@code protocols: ["query"]}, so an AWS JSON request is refused with a clear error.
 */
public final class SnsEndpoint implements Endpoint {

    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final Logger LOG = LogManager.getLogger(SnsEndpoint.class);
    private static final int PAGE_SIZE = 100;

    private final SnsService sns;

    public SnsEndpoint(SnsService sns) {
        this.sns = sns;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        String requestId = UUID.randomUUID().toString();
        if (request.header("X-Amz-Target").isPresent()) {
            return EdgeResponse.of(400, "application/x-amz-json-1.0", "{\"__type\":\"InvalidAction\",\"message\":"
                    + "\"SNS speaks the AWS query protocol only (Action=...&Version=2010-03-31); no SNS client sends "
                    + "X-Amz-Target\"}");
        }
        String action = null;
        try {
            QueryParameters parameters = QueryParameters.of(request);
            action = parameters.get("Action");
            if (action == null || action.isEmpty()) {
                throw new SnsException(SnsError.INVALID_ACTION, "The request has no Action parameter.");
            }
            Xml result = new Xml().open(action + "Response", NAMESPACE);
            Xml inner = dispatch(action, parameters);
            if (inner != null) {
                result.open(action + "Result").raw(inner).close();
            }
            result.open("ResponseMetadata").leaf("RequestId", requestId).close().close();
            return EdgeResponse.of(200, "text/xml", result.toString());
        } catch (SnsException e) {
            LOG.debug("SNS {} refused: {} {}", action, e.error().code(), e.getMessage());
            return error(e, requestId);
        }
    }

    /** The action's Result element content, or null for the actions whose response has no Result. */
    private Xml dispatch(String action, QueryParameters p) {
        return switch (action) {
            case "CreateTopic" -> {
                Map<String, String> attributes = new java.util.LinkedHashMap<>(p.map("Attributes"));
                if (p.get("DataProtectionPolicy") != null) {
                    attributes.put("DataProtectionPolicy", p.get("DataProtectionPolicy"));
                }
                yield new Xml().leaf("TopicArn", sns.createTopic(p.required("Name"), attributes, p.tags("Tags")).arn());
            }
            case "DeleteTopic" -> {
                sns.deleteTopic(p.required("TopicArn"));
                yield null;
            }
            case "ListTopics" -> {
                Page<Topic> page = page(sns.topics(), p.get("NextToken"));
                Xml xml = new Xml().open("Topics");
                page.items().forEach(topic -> xml.open("member").leaf("TopicArn", topic.arn()).close());
                yield xml.close().leaf("NextToken", page.nextToken());
            }
            case "GetTopicAttributes" -> attributes(sns.topicAttributes(p.required("TopicArn")));
            case "SetTopicAttributes" -> {
                sns.setTopicAttribute(p.required("TopicArn"), p.required("AttributeName"), p.get("AttributeValue"));
                yield null;
            }
            case "Subscribe" -> new Xml().leaf("SubscriptionArn", sns.subscribe(p.required("TopicArn"),
                    p.required("Protocol"), p.get("Endpoint"), p.map("Attributes")).arn());
            case "Unsubscribe" -> {
                sns.unsubscribe(p.required("SubscriptionArn"));
                yield null;
            }
            case "ListSubscriptions" -> subscriptions(page(sns.subscriptions(), p.get("NextToken")));
            case "ListSubscriptionsByTopic" ->
                    subscriptions(page(sns.subscriptions(p.required("TopicArn")), p.get("NextToken")));
            case "GetSubscriptionAttributes" ->
                    attributes(sns.subscriptionAttributes(p.required("SubscriptionArn")));
            case "SetSubscriptionAttributes" -> {
                sns.setSubscriptionAttribute(p.required("SubscriptionArn"), p.required("AttributeName"),
                        p.get("AttributeValue"));
                yield null;
            }
            case "Publish" -> {
                Published published = sns.publish(target(p), publication(p, null));
                yield new Xml().leaf("MessageId", published.messageId())
                        .leaf("SequenceNumber", published.sequenceNumber());
            }
            case "PublishBatch" -> publishBatch(p);
            default -> throw new SnsException(SnsError.INVALID_ACTION, "The action " + action
                    + " is not valid for this endpoint (the local SNS implements CreateTopic, DeleteTopic, ListTopics, "
                    + "GetTopicAttributes, SetTopicAttributes, Subscribe, Unsubscribe, ListSubscriptions, "
                    + "ListSubscriptionsByTopic, GetSubscriptionAttributes, SetSubscriptionAttributes, Publish, "
                    + "PublishBatch).");
        };
    }

    /** Publish's target: exactly one of TopicArn and TargetArn (SMS to a PhoneNumber is not emulated). */
    private static String target(QueryParameters p) {
        String topicArn = p.get("TopicArn");
        String targetArn = p.get("TargetArn");
        if (p.get("PhoneNumber") != null) {
            throw SnsException.invalidParameter("PhoneNumber", "the local cloud does not send SMS; publish to a topic");
        }
        if (topicArn == null && targetArn == null) {
            throw SnsException.invalidParameter("TopicArn or TargetArn", "no value for required parameter");
        }
        if (topicArn != null && targetArn != null) {
            throw SnsException.invalidParameter("TopicArn or TargetArn", "Only one of TopicArn and TargetArn may "
                    + "be given");
        }
        return topicArn != null ? topicArn : targetArn;
    }

    /** @param missingMessage what stands for an absent Message; null makes it a ValidationError */
    private static Publication publication(QueryParameters p, String missingMessage) {
        String message = missingMessage == null || p.get("Message") != null ? p.required("Message") : missingMessage;
        return new Publication(message, p.get("Subject"), p.get("MessageStructure"),
                p.messageAttributes("MessageAttributes"), p.get("MessageGroupId"), p.get("MessageDeduplicationId"));
    }

    private Xml publishBatch(QueryParameters p) {
        String topicArn = p.required("TopicArn");
        List<PublishBatch.Entry> entries = new ArrayList<>();
        for (QueryParameters member : p.members("PublishBatchRequestEntries")) {
            // A missing Message is refused for that entry alone ("Empty message"), not for the batch.
            entries.add(new PublishBatch.Entry(member.required("Id"), publication(member, "")));
        }
        PublishBatch.Result result = sns.publishBatch(topicArn, entries);
        Xml xml = new Xml().open("Successful");
        result.successful().forEach(success -> xml.open("member").leaf("Id", success.id())
                .leaf("MessageId", success.messageId()).leaf("SequenceNumber", success.sequenceNumber()).close());
        xml.close().open("Failed");
        result.failed().forEach(failure -> xml.open("member").leaf("Id", failure.id()).leaf("Code", failure.code())
                .leaf("Message", failure.message()).leaf("SenderFault", Boolean.toString(failure.senderFault()))
                .close());
        return xml.close();
    }

    private static Xml attributes(Map<String, String> attributes) {
        Xml xml = new Xml().open("Attributes");
        attributes.forEach((key, value) -> xml.open("entry").leaf("key", key).leaf("value", value).close());
        return xml.close();
    }

    private static Xml subscriptions(Page<Subscription> page) {
        Xml xml = new Xml().open("Subscriptions");
        page.items().forEach(subscription -> xml.open("member")
                .leaf("SubscriptionArn", subscription.arn())
                .leaf("Owner", Arn.parse(subscription.topicArn()).orElseThrow().account())
                .leaf("Protocol", subscription.protocol())
                .leaf("Endpoint", subscription.endpoint())
                .leaf("TopicArn", subscription.topicArn())
                .close());
        return xml.close().leaf("NextToken", page.nextToken());
    }

    /** One page of a list and the token for the next (null on the last page). */
    private record Page<T>(List<T> items, String nextToken) {
    }

    /** The token is the offset of the next page, opaque to clients. */
    private static <T> Page<T> page(List<T> all, String token) {
        int from = 0;
        if (token != null && !token.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw SnsException.invalidParameter("NextToken", "\"" + token + "\" is not a token this SNS gave out");
            }
        }
        int to = Math.min(all.size(), from + PAGE_SIZE);
        String next = to < all.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page<>(all.subList(from, to), next);
    }

    private static EdgeResponse error(SnsException e, String requestId) {
        String body = new Xml().open("ErrorResponse", NAMESPACE)
                .open("Error")
                .leaf("Type", e.error().senderFault() ? "Sender" : "Receiver")
                .leaf("Code", e.error().code())
                .leaf("Message", e.getMessage())
                .close()
                .leaf("RequestId", requestId)
                .close()
                .toString();
        return EdgeResponse.of(e.error().httpStatus(), "text/xml", body);
    }
}
